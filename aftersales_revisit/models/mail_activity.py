from odoo import api, models
from odoo.exceptions import UserError

from .activity_guard import (
    CONTACT_TYPE_XMLID,
    ESCALATION_TYPE_XMLID,
    INFORM_TYPE_XMLID,
    internal,
    is_internal,
)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a follow-up or complaint activity done goes through its
        business record, so that nothing is closed without its record on file."""
        if not is_internal(self.env):
            self._revisit_before_done()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _revisit_types(self):
        return {
            xmlid: self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in (
                CONTACT_TYPE_XMLID,
                ESCALATION_TYPE_XMLID,
                INFORM_TYPE_XMLID,
            )
        }

    def _revisit_before_done(self):
        types = self._revisit_types()
        for activity in self:
            activity_type = activity.activity_type_id
            if activity._is_revisit_activity():
                revisit = self.env["aftersales.revisit"].browse(activity.res_id)
                if activity_type == types[CONTACT_TYPE_XMLID]:
                    revisit._revisit_contact_updated()
                elif revisit.state == "planned" and revisit.channel == "call":
                    raise UserError(
                        self.env._(
                            'Log the call of follow-up %(revisit)s with its "Log a '
                            'Call" button: the follow-up is done once the call is '
                            "on file.",
                            revisit=revisit.display_name,
                        )
                    )
                elif revisit.state == "planned":
                    revisit._complete_without_call()
            elif activity.res_model == "aftersales.call":
                # the activity being done is closed by _action_done itself
                call = internal(
                    self.env["aftersales.call"].browse(activity.res_id)
                ).with_context(aftersales_closing_activity_ids=self.ids)
                if activity_type == types[ESCALATION_TYPE_XMLID]:
                    call.action_solve()
                elif activity_type == types[INFORM_TYPE_XMLID]:
                    call.action_inform()

    def _is_revisit_activity(self):
        """An activity of a follow-up plan, on its follow-up."""
        return (
            self.res_model == "aftersales.revisit"
            and self.activity_type_id.res_model == "aftersales.revisit"
        )

    def action_aftersales_revisit_done(self):
        """For the "Done" of the web client: the call form to log when this is a
        follow-up call, else False (the activity is marked done as usual)."""
        self.ensure_one()
        if self._is_revisit_activity() and self.activity_type_id != self.env.ref(
            CONTACT_TYPE_XMLID
        ):
            revisit = self.env["aftersales.revisit"].browse(self.res_id)
            if revisit.state == "planned" and revisit.channel == "call":
                return revisit.action_log_call()
        return False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_open_follow_up(self):
        """Planned follow-ups and open complaints never lose their activity."""
        if is_internal(self.env):
            return
        types = self._revisit_types()
        guarded = {
            types[ESCALATION_TYPE_XMLID]: ("escalated",),
            types[INFORM_TYPE_XMLID]: ("solved",),
        }
        for activity in self:
            if activity._is_revisit_activity():
                states = ("planned",)
            elif activity.res_model == "aftersales.call":
                states = guarded.get(activity.activity_type_id)
            else:
                states = None
            if not states:
                continue
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            state = (
                record.state
                if activity.res_model == "aftersales.revisit"
                else record.resolution_state
            )
            if state in states:
                raise UserError(
                    self.env._(
                        "This activity belongs to %(record)s, which is still open: "
                        "log the call or record the solution instead, or ask a "
                        "manager to cancel the follow-up.",
                        record=record.display_name,
                    )
                )
