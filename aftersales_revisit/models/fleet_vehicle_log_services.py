import math
from datetime import timedelta

from odoo import api, fields, models

from .aftersales_file_rule_mixin import FILE_COMPLETE_WITHIN_DAYS

REWORK_WITHIN_DAYS = 30


class FleetVehicleLogServices(models.Model):
    _name = "fleet.vehicle.log.services"
    _inherit = ["fleet.vehicle.log.services", "aftersales.file.rule.mixin"]

    date = fields.Date(index=True)
    state = fields.Selection(index=True)
    vehicle_id = fields.Many2one(index=True)
    revisit_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_revisit_customer_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        help="The vehicle's owner, or its driver when it has no owner, at the time "
        "of the service.",
    )
    revisit_handover = fields.Datetime(
        string="Handover",
        index="btree_not_null",
        help="When the customer picked the vehicle up. Follow-up dates count from "
        "this day; without it, from the service date.",
    )
    revisit_category = fields.Selection(
        [
            ("maintenance", "Maintenance"),
            ("repair", "Repair"),
            ("insurance", "Insurance Claim"),
            ("warranty", "Warranty"),
            ("accessories", "Accessories"),
        ],
        string="Category",
        default="maintenance",
    )
    revisit_advisor_id = fields.Many2one(
        "res.users", string="Service Advisor", domain="[('share', '=', False)]"
    )
    revisit_items = fields.Text(
        string="Repair and Maintenance Items",
        help="What was repaired or maintained, one item per line.",
    )
    revisit_is_rework = fields.Boolean(
        string="Rework",
        compute="_compute_revisit_is_rework",
        store=True,
        help="A repair of the same vehicle returning within 30 days of a previous "
        "service.",
    )
    revisit_ids = fields.One2many(
        "aftersales.revisit",
        "service_id",
        "Follow-ups",
        groups="aftersales_revisit.aftersales_revisit_group_user",
    )

    @api.depends("vehicle_id", "vehicle_id.owner_id", "vehicle_id.driver_id")
    def _compute_revisit_customer_id(self):
        # The customer at the time of the service: later owners of the vehicle
        # only fill services that had none.
        for service in self:
            if not service.revisit_customer_id or service.vehicle_id != (
                service._origin.vehicle_id
            ):
                vehicle = service.vehicle_id
                service.revisit_customer_id = vehicle.owner_id or vehicle.driver_id

    @api.depends("vehicle_id", "date", "revisit_category", "state")
    def _compute_revisit_is_rework(self):
        repairs = self.filtered(
            lambda s: s.revisit_category == "repair" and s.date and s.vehicle_id
        )
        (self - repairs).revisit_is_rework = False
        if not repairs:
            return
        earlier = self.search(
            [
                ("vehicle_id", "in", repairs.vehicle_id.ids),
                ("state", "!=", "cancelled"),
                (
                    "date",
                    ">=",
                    min(repairs.mapped("date")) - timedelta(days=REWORK_WITHIN_DAYS),
                ),
                ("date", "<=", max(repairs.mapped("date"))),
            ]
        )
        for service in repairs:
            window_start = service.date - timedelta(days=REWORK_WITHIN_DAYS)
            # on the same day, only records saved before count; a new one is last
            rank = (service.date, service._origin.id or math.inf)
            service.revisit_is_rework = any(
                other.vehicle_id == service.vehicle_id
                and window_start <= other.date
                and (other.date, other.id) < rank
                for other in earlier
                if other != service._origin
            )

    def write(self, vals):
        if vals.get("state") == "done" and "revisit_handover" not in vals:
            # Handed back now unless told otherwise: the follow-up counts from
            # the real pick-up day, not from the day the record was opened.
            for service in self.filtered(
                lambda s: s.state != "done" and not s.revisit_handover
            ):
                super(FleetVehicleLogServices, service).write(
                    {"revisit_handover": fields.Datetime.now()}
                )
        res = super().write(vals)
        if vals.get("state") == "cancelled" or vals.get("active") is False:
            self.sudo().revisit_ids.filtered(lambda r: r.state == "planned")._cancel()
        return res

    def _revisit_missing_file_fields(self):
        """Labels of every customer-file field still empty for this service."""
        self.ensure_one()
        missing = self.revisit_customer_id._revisit_missing_file_fields()
        missing += self.vehicle_id._revisit_missing_file_fields()
        if not self.revisit_items:
            missing.append(self.env._("repair and maintenance items"))
        return missing

    def _get_file_check_domain(self):
        limit = fields.Datetime.now() - timedelta(days=FILE_COMPLETE_WITHIN_DAYS)
        recent = limit - timedelta(days=30)
        return [
            ("state", "=", "done"),
            ("revisit_file_alerted", "=", False),
            ("revisit_customer_id", "!=", False),
            "|",
            "&",
            ("revisit_handover", "<=", limit),
            ("revisit_handover", ">", recent),
            "&",
            ("revisit_handover", "=", False),
            "&",
            ("date", "<=", limit.date()),
            ("date", ">", recent.date()),
        ]

    def _revisit_file_officer(self):
        return self.revisit_customer_id._revisit_responsible_officer(self.company_id)[0]

    def _revisit_file_message(self, missing):
        return self.env._(
            "The customer file of %(customer)s is still incomplete two days after "
            "the vehicle was handed back. Missing: %(missing)s.",
            customer=self.revisit_customer_id.display_name,
            missing=", ".join(missing),
        )
