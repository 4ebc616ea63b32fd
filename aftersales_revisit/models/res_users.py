from odoo import models

from .activity_guard import ESCALATION_TYPE_XMLID, INFORM_TYPE_XMLID

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
        """Hand an archived officer's open follow-up work to the manager before
        Odoo removes the user's activities."""
        self._revisit_hand_over_follow_ups()
        self._revisit_hand_over_activities()
        return super().action_archive()

    def _revisit_successor(self, company):
        manager = company._revisit_manager()
        return manager if manager not in self else self.env.ref("base.user_admin")

    def _revisit_hand_over_follow_ups(self):
        revisits = (
            self.env["aftersales.revisit"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .search([("user_id", "in", self.ids), ("state", "=", "planned")])
        )
        for revisit in revisits:
            manager = self._revisit_successor(revisit.company_id)
            env = revisit.with_context(lang=manager.lang or self.env.lang).env
            revisit.write(
                {
                    "user_id": manager.id,
                    "assignment_note": env._(
                        "Assigned to the manager: the officer %(officer)s was "
                        "archived.",
                        officer=revisit.user_id.name,
                    ),
                }
            )
            revisit._refresh_activity_note()

    def _revisit_hand_over_activities(self):
        """Activities of open follow-ups and complaints assigned to these users
        (reassigned in the chatter, escalations, "inform the customer")."""
        call_types = (
            self.env.ref(ESCALATION_TYPE_XMLID) | self.env.ref(INFORM_TYPE_XMLID)
        ).ids
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .search(
                [
                    ("user_id", "in", self.ids),
                    "|",
                    "&",
                    ("res_model", "=", "aftersales.call"),
                    ("activity_type_id", "in", call_types),
                    "&",
                    ("res_model", "=", "aftersales.revisit"),
                    ("activity_type_id.res_model", "=", "aftersales.revisit"),
                ]
            )
        )
        for activity in activities:
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            activity.user_id = self._revisit_successor(record.company_id)
