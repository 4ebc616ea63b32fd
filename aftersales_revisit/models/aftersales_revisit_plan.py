from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import datetime as safe_eval_datetime
from odoo.tools.safe_eval import safe_eval


class AftersalesRevisitPlan(models.Model):
    _name = "aftersales.revisit.plan"
    _description = "Follow-up Plan"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    trigger = fields.Selection(
        [("service", "Service handover")],
        required=True,
        default="service",
        help="Service handover: counts from the day a done service record's "
        "vehicle was handed back (its service date when no handover is set).",
    )
    partner_domain = fields.Char(
        string="Audience",
        default="[]",
        help="Customers this plan applies to (for example a tier).",
    )
    horizon_days = fields.Integer(
        string="Plan Ahead (days)",
        default=7,
        help="Follow-ups are put in the inbox this many days before they are due, "
        "so officers see what is coming.",
    )
    step_ids = fields.One2many(
        "aftersales.revisit.plan.step", "plan_id", string="Steps", copy=True
    )
    step_count = fields.Integer(compute="_compute_step_count")
    revisit_count = fields.Integer("Follow-up Count", compute="_compute_revisit_count")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for plan in self:
            plan.step_count = len(plan.step_ids)

    def _compute_revisit_count(self):
        counts = dict(
            self.env["aftersales.revisit"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.revisit_count = counts.get(plan, 0)

    def action_view_revisits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_revisit.aftersales_revisit_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {}
        return action

    def _reach_days(self):
        """How many days after its trigger the plan's last step may still run."""
        return max((s.offset_days + s.window_days for s in self.step_ids), default=0)

    def _audience_domain(self):
        """The audience as a domain on res.partner ([] for every customer)."""
        self.ensure_one()
        return safe_eval(
            self.partner_domain or "[]",
            {
                "uid": self.env.uid,
                "user": self.env.user,
                "context_today": lambda: fields.Date.context_today(self),
                "datetime": safe_eval_datetime,
                "relativedelta": relativedelta,
            },
        )

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for plan in self:
            try:
                self.env["res.partner"].search_count(plan._audience_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The audience of plan %(plan)s is not a valid filter on "
                        "customers: %(error)s",
                        plan=plan.name,
                        error=error,
                    )
                ) from error
