from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

LOST_AFTER_MONTHS = 12
OFFICERS = "aftersales_revisit.aftersales_revisit_group_user"
LOYAL_MIN_VISITS = 3


class ResPartner(models.Model):
    _inherit = "res.partner"

    revisit_officer_id = fields.Many2one(
        "res.users",
        string="Follow-up Officer",
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref(OFFICERS).ids),
        ],
        tracking=True,
        help="Designated by the follow-up manager: makes the calls and writes the "
        "letters of this customer.",
    )
    revisit_tier = fields.Selection(
        [("key", "Key"), ("important", "Important"), ("ordinary", "Ordinary")],
        string="Customer Tier",
        default="ordinary",
        tracking=True,
    )
    revisit_channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("sms", "SMS"),
            ("email", "Email"),
            ("letter", "Letter"),
            ("visit", "Visit"),
        ],
        string="Preferred Channel",
        default="phone",
    )
    birthdate_date = fields.Date("Birthdate")
    revisit_expected_services = fields.Text(
        string="Expected Services",
        help="Services the customer expects from the dealership.",
    )
    revisit_do_not_call = fields.Boolean(
        string="Do Not Call", help="The customer asked not to be called."
    )
    revisit_lost_reason = fields.Char(string="Lost Reason")
    revisit_ids = fields.One2many(
        "aftersales.revisit", "partner_id", "Follow-ups", groups=OFFICERS
    )
    revisit_call_ids = fields.One2many(
        "aftersales.call", "partner_id", "Calls", groups=OFFICERS
    )
    revisit_vehicle_ids = fields.One2many(
        "fleet.vehicle",
        "revisit_customer_id",
        "Customer Vehicles",
        groups=OFFICERS,
    )
    revisit_count = fields.Integer(
        "Follow-up Count", compute="_compute_revisit_count", groups=OFFICERS
    )
    revisit_call_count = fields.Integer(
        "Call Count", compute="_compute_revisit_count", groups=OFFICERS
    )
    revisit_visit_count = fields.Integer(
        "Visits", compute="_compute_revisit_visits", groups=OFFICERS
    )
    revisit_total_spend = fields.Monetary(
        "Total Spend",
        compute="_compute_revisit_visits",
        currency_field="revisit_currency_id",
        groups=OFFICERS,
    )
    revisit_currency_id = fields.Many2one(
        "res.currency", string="Currency", compute="_compute_revisit_currency_id"
    )
    revisit_first_visit = fields.Date(
        "First Visit", compute="_compute_revisit_visits", groups=OFFICERS
    )
    revisit_last_visit = fields.Date(
        "Last Visit", compute="_compute_revisit_visits", groups=OFFICERS
    )
    revisit_is_loyal = fields.Boolean(
        "Loyal", compute="_compute_revisit_visits", groups=OFFICERS
    )
    revisit_is_lost = fields.Boolean(
        "Lost", compute="_compute_revisit_visits", groups=OFFICERS
    )

    @api.depends_context("company")
    def _compute_revisit_currency_id(self):
        self.revisit_currency_id = self.env.company.currency_id

    def _compute_revisit_count(self):
        revisits = dict(
            self.env["aftersales.revisit"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        calls = dict(
            self.env["aftersales.call"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.revisit_count = revisits.get(partner, 0)
            partner.revisit_call_count = calls.get(partner, 0)

    @api.depends_context("company")
    def _compute_revisit_visits(self):
        stats = {
            partner: (count, amount, first, last)
            for partner, count, amount, first, last in self.env[
                "fleet.vehicle.log.services"
            ]._read_group(
                [("revisit_customer_id", "in", self.ids), ("state", "=", "done")],
                ["revisit_customer_id"],
                ["__count", "amount:sum", "date:min", "date:max"],
            )
        }
        lost_before = fields.Date.context_today(self) - relativedelta(
            months=LOST_AFTER_MONTHS
        )
        for partner in self:
            count, amount, first, last = stats.get(partner, (0, 0.0, False, False))
            partner.revisit_visit_count = count
            partner.revisit_total_spend = amount
            partner.revisit_first_visit = first
            partner.revisit_last_visit = last
            partner.revisit_is_lost = bool(last) and last < lost_before
            partner.revisit_is_loyal = (
                count >= LOYAL_MIN_VISITS and not partner.revisit_is_lost
            )

    def _revisit_callable_number(self):
        """The number to call this customer on, or False when none may be used."""
        self.ensure_one()
        if self.revisit_do_not_call:
            return False
        if self.mobile and not self.mobile_blacklisted:
            return self.mobile
        if self.phone and not self.phone_blacklisted:
            return self.phone
        return False

    def _revisit_any_number(self):
        """The number to call, else any number on file, else False."""
        if not self:
            return False
        return self._revisit_callable_number() or self.mobile or self.phone

    def _revisit_contact_issue(self):
        """Why this customer cannot be called, in the user's language."""
        self.ensure_one()
        if self.revisit_do_not_call:
            return self.env._("The customer asked not to be called.")
        if self.mobile_blacklisted or self.phone_blacklisted:
            return self.env._("The customer's phone number is blacklisted.")
        return self.env._("The customer has no phone or mobile number on file.")

    def _revisit_missing_file_fields(self):
        """Labels of the customer-file fields of this partner still empty."""
        self.ensure_one()
        missing = []
        if not (self.street or self.city):
            missing.append(self.env._("address"))
        if not (self.phone or self.mobile):
            missing.append(self.env._("phone"))
        if not self.revisit_expected_services:
            missing.append(self.env._("expected services"))
        return missing

    def action_view_revisits(self):
        return self._revisit_action("aftersales_revisit.aftersales_revisit_action")

    def action_view_revisit_calls(self):
        return self._revisit_action("aftersales_revisit.aftersales_call_action")

    def _revisit_action(self, xmlid):
        """The action `xmlid` restricted to this customer's records."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _revisit_responsible_officer(self, company):
        """(user, reason): the designated officer when they can work on this
        company's follow-ups, else the manager and why, in the manager's language."""
        self.ensure_one()
        officer = self.revisit_officer_id
        if officer._revisit_can_follow_up(company):
            return officer, ""
        manager = company._revisit_manager()
        env = self.with_context(lang=manager.lang or self.env.lang).env
        if not officer:
            reason = env._(
                "Assigned to the manager: the customer has no designated officer."
            )
        elif not officer.active:
            reason = env._(
                "Assigned to the manager: the designated officer %(officer)s is "
                "archived.",
                officer=officer.name,
            )
        else:
            reason = env._(
                "Assigned to the manager: the designated officer %(officer)s is not "
                "a follow-up officer of %(company)s.",
                officer=officer.name,
                company=company.name,
            )
        return manager, reason
