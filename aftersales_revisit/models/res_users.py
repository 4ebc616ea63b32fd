from odoo import models

from .activity_guard import ESCALATION_TYPE_XMLID, INFORM_TYPE_XMLID, internal

OFFICER_GROUP = "aftersales_revisit.aftersales_revisit_group_user"


class ResUsers(models.Model):
    _inherit = "res.users"

    def _revisit_can_follow_up(self, company):
        """Whether this user can be given the follow-ups of `company`."""
        return bool(
            len(self) == 1
            and self.active
            and company in self.company_ids
            and self.has_group(OFFICER_GROUP)
        )

    def action_archive(self):
        """Hand an archived officer's planned follow-ups to their manager before
        Odoo removes the user's activities."""
        revisits = (
            self.env["aftersales.revisit"]
            .sudo()
            .search([("user_id", "in", self.ids), ("state", "=", "planned")])
        )
        for revisit in revisits:
            manager = revisit.company_id._revisit_manager()
            if manager in self:
                manager = self.env.ref("base.user_admin")
            env = revisit.with_context(lang=manager.lang or self.env.lang).env
            internal(revisit).write(
                {
                    "user_id": manager.id,
                    "assignment_note": env._(
                        "Assigned to the manager: the officer %(officer)s was "
                        "archived.",
                        officer=revisit.user_id.name,
                    ),
                }
            )
        self._revisit_hand_over_call_activities()
        return super().action_archive()

    def _revisit_hand_over_call_activities(self):
        """Escalations and "inform the customer" tasks go to the manager too."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.ids),
                    ("res_model", "=", "aftersales.call"),
                    (
                        "activity_type_id",
                        "in",
                        [
                            self.env.ref(ESCALATION_TYPE_XMLID).id,
                            self.env.ref(INFORM_TYPE_XMLID).id,
                        ],
                    ),
                ]
            )
        )
        for activity in activities:
            call = self.env["aftersales.call"].sudo().browse(activity.res_id)
            manager = call.company_id._revisit_manager()
            activity.user_id = (
                manager if manager not in self else self.env.ref("base.user_admin")
            )
