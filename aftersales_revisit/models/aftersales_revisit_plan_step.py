from odoo import api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [
    ("call", "Call"),
    ("sms", "SMS"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("visit", "Visit"),
]


class AftersalesRevisitPlanStep(models.Model):
    _name = "aftersales.revisit.plan.step"
    _description = "Follow-up Plan Step"
    _order = "plan_id, sequence, offset_days, id"

    plan_id = fields.Many2one(
        "aftersales.revisit.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    offset_days = fields.Integer(
        string="Due (days after trigger)",
        required=True,
        help="The follow-up is due this many days after the trigger day.",
    )
    window_days = fields.Integer(
        string="Window (days)",
        default=0,
        help="Deadline = due day + window. Once the deadline has passed, the "
        "follow-up is no longer created.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="call")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        required=True,
        domain="[('res_model', '=', 'aftersales.revisit')]",
        default=lambda self: self.env.ref(
            "aftersales_revisit.mail_activity_type_revisit_call",
            raise_if_not_found=False,
        ),
    )
    summary = fields.Char(translate=True)
    talking_points = fields.Html(translate=True)
    responsible = fields.Selection(
        [
            ("officer", "Designated officer"),
            ("advisor", "Service advisor"),
            ("manager", "Follow-up manager"),
        ],
        required=True,
        default="officer",
    )
    show_previous_notes = fields.Boolean(
        help="Show the notes of the previous step's call in this step's activity, "
        "so the customer is not asked the same things twice."
    )

    @api.constrains("offset_days", "window_days")
    def _check_days(self):
        for step in self:
            if step.offset_days < 0 or step.window_days < 0:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s: the due days and the window must be zero "
                        "or a positive number of days.",
                        step=step.name,
                    )
                )
