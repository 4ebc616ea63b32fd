import { Activity } from "@mail/core/web/activity_model";
import { patch } from "@web/core/utils/patch";

/**
 * A follow-up call is done once the call is on file: "Done" (and "Done &
 * Schedule Next": the plan schedules the next step) on a follow-up's call
 * activity open the call form prefilled from the follow-up, the feedback typed
 * in the popover becoming the call's key points. Saving the call completes the
 * follow-up and its activity. Any other activity is marked done as usual.
 */
patch(Activity.prototype, {
    async openAftersalesCallForm() {
        if (this.res_model !== "aftersales.revisit") {
            return false;
        }
        const { orm, action } = this.store.env.services;
        const callAction = await orm.call(
            "mail.activity",
            "action_aftersales_revisit_done",
            [[this.id]],
            { context: { aftersales_feedback: this.feedback || false } }
        );
        if (!callAction) {
            return false;
        }
        await new Promise((resolve) => action.doAction(callAction, { onClose: resolve }));
        this.store.activityBroadcastChannel?.postMessage({
            type: "RELOAD_CHATTER",
            payload: { id: this.res_id, model: this.res_model },
        });
        return true;
    },

    async markAsDone(attachmentIds = []) {
        if (!(await this.openAftersalesCallForm())) {
            return super.markAsDone(...arguments);
        }
    },

    async markAsDoneAndScheduleNext() {
        if (!(await this.openAftersalesCallForm())) {
            return super.markAsDoneAndScheduleNext(...arguments);
        }
        return false;
    },
});
