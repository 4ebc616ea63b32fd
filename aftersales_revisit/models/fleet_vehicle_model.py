from odoo import fields, models


class FleetVehicleModel(models.Model):
    _inherit = "fleet.vehicle.model"

    revisit_interval_months = fields.Integer(
        string="Maintenance Interval (months)",
        default=6,
        help="Default maintenance interval, in months, of vehicles of this model.",
    )
    revisit_interval_km = fields.Integer(
        string="Maintenance Interval (km)",
        default=10000,
        help="Default maintenance interval, in kilometres, of vehicles of this model.",
    )
