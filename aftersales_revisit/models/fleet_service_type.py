from odoo import fields, models


class FleetServiceType(models.Model):
    _inherit = "fleet.service.type"

    revisit_is_insurance = fields.Boolean(
        string="Insurance",
        help="Contracts of this type insure the vehicle: their expiry date is the "
        "vehicle's insurance expiry.",
    )
