import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("aftersales_revisit_log_call_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the activities menu",
            trigger: '.o_menu_systray i[aria-label="Activities"]',
            run: "click",
        },
        {
            content: "Open the follow-ups due",
            trigger: '.o-mail-ActivityGroup[data-model_name="aftersales.revisit"]',
            run: "click",
        },
        {
            content: "Open the follow-up of the tour customer",
            trigger: '.o_data_row .o_data_cell:contains("Tomás Tour")',
            run: "click",
        },
        {
            content: "Log the call",
            trigger: 'button[name="action_log_call"]',
            run: "click",
        },
        {
            content: "The call form is prefilled with the customer's number",
            trigger: '.modal .o_field_widget[name="phone"]:contains("+57 310 555 0142"), .modal .o_field_widget[name="phone"] input:value("+57 310 555 0142")',
        },
        {
            content: "Key points",
            trigger: '.modal .o_field_widget[name="key_points"] textarea',
            run: "edit The car runs well since the service",
        },
        {
            content: "Complaint",
            trigger: '.modal .o_field_widget[name="complaint"] textarea',
            run: "edit Scratch on the rear bumper after the wash",
        },
        {
            content: "Save the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The follow-up is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        ...stepUtils.goToAppSteps(
            "aftersales_revisit.aftersales_revisit_menu_root",
            "Open the follow-up app"
        ),
        {
            content: "Open the customers",
            trigger: 'a[data-menu-xmlid="aftersales_revisit.aftersales_revisit_menu_customers"]',
            run: "click",
        },
        {
            content: "Search the tour customer",
            trigger: ".o_searchview_input",
            run: "edit Tomás Tour",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the customer",
            trigger: '.o_kanban_record:contains("Tomás Tour")',
            run: "click",
        },
        {
            content: "Open the follow-up tab",
            trigger: '.o_notebook_headers a[name="aftersales_revisit"]',
            run: "click",
        },
        {
            content: "The call and its complaint are in the customer's history",
            trigger: '.o_field_widget[name="revisit_call_ids"] .o_data_row:contains("Scratch on the rear bumper after the wash")',
        },
        {
            content: "The smart button counts the call",
            trigger: 'button[name="action_view_revisit_calls"]:contains("1")',
        },
    ],
});

registry.category("web_tour.tours").add("aftersales_revisit_activity_done_tour", {
    steps: () => [
        {
            content: "Mark the follow-up call activity done from the chatter",
            trigger: ".o-mail-Activity .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Write the feedback",
            trigger: ".o-mail-ActivityMarkAsDone textarea",
            run: "edit Customer asked for a winter tyre quote",
        },
        {
            content: "Done",
            trigger: '.o-mail-ActivityMarkAsDone button[aria-label="Done"]',
            run: "click",
        },
        {
            content: "The call form opens, prefilled with the feedback",
            trigger: '.modal .o_field_widget[name="key_points"] textarea:value("Customer asked for a winter tyre quote")',
        },
        {
            content: "The customer did not answer",
            trigger: '.modal .o_field_widget[name="reached"] select',
            run: 'select "no_answer"',
        },
        {
            content: "Save the call",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
