from odoo import fields, models


class AftersalesCallTopic(models.Model):
    _name = "aftersales.call.topic"
    _description = "Call Topic"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A call topic with this name already exists.")
    ]
