from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    revisit_manager_id = fields.Many2one(
        related="company_id.revisit_manager_id", readonly=False
    )
