from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

OFFICERS = "aftersales_revisit.aftersales_revisit_group_user"


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    owner_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="The customer who owns the vehicle; when empty, the driver is taken "
        "as the customer.",
    )
    revisit_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_revisit_customer_id",
        store=True,
        index="btree_not_null",
    )
    revisit_interval_months = fields.Integer(
        string="Maintenance Interval (months)",
        compute="_compute_revisit_intervals",
        store=True,
        readonly=False,
    )
    revisit_interval_km = fields.Integer(
        string="Maintenance Interval (km)",
        compute="_compute_revisit_intervals",
        store=True,
        readonly=False,
    )
    revisit_odometer_ids = fields.One2many(
        "fleet.vehicle.odometer", "vehicle_id", string="Odometer Readings"
    )
    revisit_last_service_date = fields.Date(
        "Last Service", compute="_compute_revisit_next_maintenance", store=True
    )
    revisit_next_maintenance_date = fields.Date(
        "Next Maintenance",
        compute="_compute_revisit_next_maintenance",
        store=True,
        index="btree_not_null",
        help="The earlier of: last service + interval in months; the day the "
        "interval in km is reached at the vehicle's average daily mileage.",
    )
    revisit_next_maintenance_odometer = fields.Float(
        "Next Maintenance Odometer",
        compute="_compute_revisit_next_maintenance",
        store=True,
    )
    revisit_insurance_expiry = fields.Date(
        "Insurance Expiry", compute="_compute_revisit_insurance_expiry", store=True
    )
    revisit_warranty_end = fields.Date("Warranty End")
    revisit_ids = fields.One2many(
        "aftersales.revisit", "vehicle_id", "Follow-ups", groups=OFFICERS
    )
    revisit_count = fields.Integer(
        "Follow-up Count", compute="_compute_revisit_count", groups=OFFICERS
    )

    @api.depends("owner_id", "driver_id")
    def _compute_revisit_customer_id(self):
        for vehicle in self:
            vehicle.revisit_customer_id = vehicle.owner_id or vehicle.driver_id

    @api.depends("model_id")
    def _compute_revisit_intervals(self):
        for vehicle in self:
            vehicle.revisit_interval_months = vehicle.model_id.revisit_interval_months
            vehicle.revisit_interval_km = vehicle.model_id.revisit_interval_km

    @api.depends(
        "log_services.date",
        "log_services.state",
        "log_services.odometer_id",
        "revisit_odometer_ids.value",
        "revisit_odometer_ids.date",
        "revisit_interval_months",
        "revisit_interval_km",
    )
    def _compute_revisit_next_maintenance(self):
        for vehicle in self:
            services = vehicle.log_services.filtered(
                lambda s: s.state == "done" and s.date
            ).sorted("date")
            last = services[-1:] if services else services
            vehicle.revisit_last_service_date = last.date
            vehicle.revisit_next_maintenance_odometer = 0.0
            candidates = []
            if last and vehicle.revisit_interval_months:
                candidates.append(
                    last.date + relativedelta(months=vehicle.revisit_interval_months)
                )
            km_date = vehicle._revisit_km_due_date(last)
            if km_date:
                candidates.append(km_date)
            vehicle.revisit_next_maintenance_date = min(candidates, default=False)

    def _revisit_km_due_date(self, last_service):
        """Day the km interval is reached at the average daily mileage, or False."""
        readings = self.revisit_odometer_ids.filtered("date").sorted(
            lambda r: (r.date, r.value)
        )
        if not (last_service and self.revisit_interval_km and len(readings) >= 2):
            return False
        at_service = last_service.odometer_id.value or max(
            (r.value for r in readings if r.date <= last_service.date), default=0.0
        )
        if not at_service:
            return False
        days = (readings[-1].date - readings[0].date).days
        per_day = (readings[-1].value - readings[0].value) / days if days else 0.0
        if per_day <= 0:
            return False
        self.revisit_next_maintenance_odometer = at_service + self.revisit_interval_km
        remaining = self.revisit_next_maintenance_odometer - readings[-1].value
        return readings[-1].date + timedelta(days=max(int(remaining // per_day), 0))

    @api.depends(
        "log_contracts.expiration_date",
        "log_contracts.state",
        "log_contracts.cost_subtype_id.revisit_is_insurance",
    )
    def _compute_revisit_insurance_expiry(self):
        for vehicle in self:
            insurances = vehicle.log_contracts.filtered(
                lambda c: (
                    c.cost_subtype_id.revisit_is_insurance
                    and c.state in ("futur", "open", "expired")
                    and c.expiration_date
                )
            )
            vehicle.revisit_insurance_expiry = max(
                insurances.mapped("expiration_date"), default=False
            )

    def _compute_revisit_count(self):
        counts = dict(
            self.env["aftersales.revisit"]._read_group(
                [("vehicle_id", "in", self.ids)], ["vehicle_id"], ["__count"]
            )
        )
        for vehicle in self:
            vehicle.revisit_count = counts.get(vehicle, 0)

    def _revisit_missing_file_fields(self):
        """Labels of the customer-file fields of this vehicle still empty."""
        self.ensure_one()
        checks = [
            (self.model_id, self.env._("vehicle model")),
            (self.license_plate, self.env._("plate number")),
            (
                self.revisit_interval_months or self.revisit_interval_km,
                self.env._("maintenance interval"),
            ),
            (self.revisit_next_maintenance_date, self.env._("next maintenance due")),
        ]
        return [label for value, label in checks if not value]

    def action_view_revisits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_revisit.aftersales_revisit_action"
        )
        action["domain"] = [("vehicle_id", "=", self.id)]
        action["context"] = {
            "default_vehicle_id": self.id,
            "default_partner_id": self.revisit_customer_id.id,
        }
        return action
