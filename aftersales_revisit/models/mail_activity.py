from odoo import api, models
from odoo.exceptions import UserError

from .aftersales_call import ESCALATION_TYPE_XMLID, INFORM_TYPE_XMLID
from .aftersales_revisit import CALL_TYPE_XMLID, CONTACT_TYPE_XMLID


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a follow-up activity done goes through its business record,
        so that nothing is closed without the call being on file."""
        if not self.env.context.get("aftersales_revisit_logging"):
            self._revisit_before_done()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _revisit_before_done(self):
        types = {
            xmlid: self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in (
                CALL_TYPE_XMLID,
                CONTACT_TYPE_XMLID,
                ESCALATION_TYPE_XMLID,
                INFORM_TYPE_XMLID,
            )
        }
        for activity in self:
            activity_type = activity.activity_type_id
            if activity.res_model == "aftersales.revisit":
                revisit = self.env["aftersales.revisit"].browse(activity.res_id)
                if activity_type == types[CALL_TYPE_XMLID]:
                    raise UserError(
                        self.env._(
                            'Log the call of follow-up %(revisit)s with its "Log a '
                            'Call" button: the follow-up is done once the call is '
                            "on file.",
                            revisit=revisit.display_name,
                        )
                    )
                if activity_type == types[CONTACT_TYPE_XMLID]:
                    revisit._revisit_contact_updated()
            elif activity.res_model == "aftersales.call":
                call = (
                    self.env["aftersales.call"]
                    .browse(activity.res_id)
                    .with_context(aftersales_closing_activity_ids=self.ids)
                )
                if activity_type == types[ESCALATION_TYPE_XMLID]:
                    call.action_solve()
                elif activity_type == types[INFORM_TYPE_XMLID]:
                    call.action_inform()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_planned_follow_up(self):
        """A planned follow-up never loses its activity silently."""
        if self.env.context.get("aftersales_revisit_logging"):
            return
        follow_up_types = self.env.ref(CALL_TYPE_XMLID) | self.env.ref(
            CONTACT_TYPE_XMLID
        )
        for activity in self:
            if (
                activity.res_model == "aftersales.revisit"
                and activity.activity_type_id in follow_up_types
                and self.env["aftersales.revisit"].browse(activity.res_id).state
                == "planned"
            ):
                raise UserError(
                    self.env._(
                        "This activity belongs to a planned follow-up: log the call, "
                        "or ask a manager to cancel the follow-up."
                    )
                )
