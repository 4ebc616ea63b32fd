from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .activity_guard import ESCALATION_TYPE_XMLID, INFORM_TYPE_XMLID, claim, internal
from .aftersales_file_rule_mixin import FILE_COMPLETE_WITHIN_DAYS

ESCALATE_AFTER_WORKING_DAYS = 2
MANAGER_GROUP = "aftersales_revisit.aftersales_revisit_group_manager"
OPEN_RESOLUTIONS = ("to_study", "escalated")


class AftersalesCall(models.Model):
    _name = "aftersales.call"
    _description = "Call Log"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.file.rule.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default="/"
    )
    active = fields.Boolean(default=True, tracking=True)
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")],
        required=True,
        default="outbound",
    )
    call_type = fields.Selection(
        [
            ("follow_up", "Follow-up"),
            ("consultation", "Consultation"),
            ("complaint", "Complaint"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        default="follow_up",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, check_company=True
    )
    phone = fields.Char(string="Phone Number", required=True)
    vehicle_id = fields.Many2one("fleet.vehicle", check_company=True)
    service_id = fields.Many2one("fleet.vehicle.log.services", string="Service Record")
    revisit_id = fields.Many2one(
        "aftersales.revisit",
        string="Follow-up",
        index="btree_not_null",
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Officer",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    duration = fields.Float(help="Duration of the call, in minutes.")
    reached = fields.Selection(
        [
            ("answered", "Answered"),
            ("no_answer", "No answer"),
            ("busy", "Busy"),
            ("wrong_number", "Wrong number"),
            ("call_back", "Call back later"),
        ],
        string="Outcome",
        required=True,
        default="answered",
    )
    topic_ids = fields.Many2many("aftersales.call.topic", string="Topics")
    key_points = fields.Text()
    requests = fields.Text(string="Customer Requests")
    complaint = fields.Text()
    satisfaction = fields.Integer(
        help="Customer satisfaction from 0 to 100, asked on answered calls.",
    )
    satisfaction_rated = fields.Boolean(
        string="Rated",
        compute="_compute_satisfaction_rated",
        store=True,
        readonly=False,
        help="The customer gave a satisfaction score on this call; only rated "
        "calls count in the CSI.",
    )
    resolution_state = fields.Selection(
        [
            ("none", "Nothing to resolve"),
            ("solved_on_call", "Solved on the call"),
            ("to_study", "To study"),
            ("escalated", "Escalated"),
            ("solved", "Solved"),
            ("informed", "Customer informed"),
        ],
        string="Resolution",
        compute="_compute_resolution_state",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    solution = fields.Text()
    date_solved = fields.Datetime(string="Solved On", readonly=True, copy=False)
    date_informed = fields.Datetime(string="Informed On", readonly=True, copy=False)
    escalation_due = fields.Datetime(
        compute="_compute_escalation_due",
        store=True,
        index="btree_not_null",
        help="When the call is escalated to the manager if still unsolved: two "
        "working days after it was logged.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.depends("complaint", "requests")
    def _compute_resolution_state(self):
        for call in self:
            pending = bool(call.complaint or call.requests)
            if pending and call.resolution_state in (False, "none"):
                call.resolution_state = "to_study"
            elif not pending and call.resolution_state in (False, "to_study"):
                call.resolution_state = "none"

    @api.depends("date", "resolution_state", "company_id")
    def _compute_escalation_due(self):
        for call in self:
            if call.resolution_state != "to_study" or not call.date:
                call.escalation_due = False
                continue
            company = call.company_id or self.env.company
            logged = company._revisit_local_datetime(call.date)
            due_day = company._revisit_add_working_days(
                logged.date(), ESCALATE_AFTER_WORKING_DAYS
            )
            call.escalation_due = company._revisit_to_utc(due_day, logged.time())

    @api.depends("satisfaction", "reached")
    def _compute_satisfaction_rated(self):
        for call in self:
            call.satisfaction_rated = call.reached == "answered" and bool(
                call.satisfaction or call.satisfaction_rated
            )

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for call in self:
            if not 0 <= call.satisfaction <= 100:
                raise ValidationError(
                    self.env._(
                        "Satisfaction must be between 0 and 100 (call %(call)s).",
                        call=call.name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.phone:
            self.phone = self.partner_id._revisit_any_number()

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("aftersales.call") or "/"
            partner = self.env["res.partner"].browse(
                vals.get("partner_id") or self.env.context.get("default_partner_id")
            )
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.context.get("default_company_id")
            )
            vals["phone"] = self._formatted_phone(
                vals.get("phone") or self._default_phone(partner),
                partner,
                company or self.env.company,
            )
        calls = super().create(vals_list)
        for call in calls.filtered("revisit_id"):
            call._check_revisit_open()
            call.revisit_id._register_call(call)
        return calls

    def write(self, vals):
        self._check_write_allowed(vals)
        if "phone" in vals:
            if not vals["phone"]:
                raise ValidationError(self.env._("A call needs a phone number."))
            partner = (
                self.env["res.partner"].browse(vals.get("partner_id"))
                or self.partner_id[:1]
            )
            vals["phone"] = self._formatted_phone(
                vals["phone"], partner, self.company_id[:1] or self.env.company
            )
        return super().write(vals)

    def _check_write_allowed(self, vals):
        """Logs are archives: only managers archive them, and a call that counted
        for a follow-up keeps its outcome."""
        if "active" in vals and not (
            self.env.su or self.env.user.has_group(MANAGER_GROUP)
        ):
            raise AccessError(self.env._("Only a follow-up manager can archive calls."))
        if vals.get("active") is False and self.filtered(
            lambda c: c.resolution_state in OPEN_RESOLUTIONS + ("solved",)
        ):
            raise UserError(
                self.env._(
                    "A call with an open complaint or request cannot be archived: "
                    "solve it and inform the customer first."
                )
            )
        locked = {"reached", "revisit_id", "date", "partner_id"} & set(vals)
        if locked and self.filtered("revisit_id"):
            raise UserError(
                self.env._(
                    "A call logged for a follow-up keeps its customer, date, outcome "
                    "and follow-up; log a new call instead."
                )
            )

    def _formatted_phone(self, number, partner, company):
        """The number in international format; a clear error when invalid."""
        country = partner.country_id or company.country_id
        try:
            return self._phone_format(
                number=number,
                country=country,
                force_format="INTERNATIONAL",
                raise_exception=True,
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "The phone number %(number)s is not valid: %(reason)s",
                    number=number,
                    reason=error.args[0],
                )
            ) from error

    def _default_phone(self, partner):
        """The customer's number, for a call saved without one."""
        number = partner._revisit_any_number()
        if not number:
            raise ValidationError(
                self.env._(
                    "%(customer)s has no phone number on file. Enter the number you "
                    "called or that called you.",
                    customer=partner.display_name or self.env._("The customer"),
                )
            )
        return number

    def _check_revisit_open(self):
        self.ensure_one()
        if self.revisit_id.state != "planned":
            raise UserError(
                self.env._(
                    "Follow-up %(revisit)s is already closed: log this call without "
                    "it, or reopen the follow-up first.",
                    revisit=self.revisit_id.display_name,
                )
            )

    def _reached_label(self):
        self.ensure_one()
        return dict(self._fields["reached"]._description_selection(self.env))[
            self.reached
        ]

    def _revisit_notes_html(self):
        """Key points, requests and complaint of this call, as HTML."""
        if not self:
            return False
        self.ensure_one()
        title = self.env._(
            "Notes of call %(call)s (%(date)s, %(officer)s):",
            call=self.name,
            date=format_date(self.env, self.company_id._revisit_local_date(self.date)),
            officer=self.user_id.name,
        )
        lines = [
            (self.env._("Key points"), self.key_points),
            (self.env._("Requests"), self.requests),
            (self.env._("Complaint"), self.complaint),
        ]
        body = Markup("<p><b>%s</b></p>") % title
        for label, text in lines:
            if text:
                body += Markup("<p>%s: %s</p>") % (label, text)
        return body

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------

    def action_solve(self):
        """Record the solution: the officer must inform the customer today."""
        for call in self:
            if call.resolution_state not in OPEN_RESOLUTIONS:
                raise UserError(
                    self.env._(
                        "Call %(call)s has nothing left to solve.", call=call.name
                    )
                )
            if not call.solution:
                raise UserError(
                    self.env._(
                        "Write the solution of call %(call)s before marking it solved.",
                        call=call.name,
                    )
                )
        self.write({"resolution_state": "solved", "date_solved": fields.Datetime.now()})
        internal(self._activities_of_type(ESCALATION_TYPE_XMLID)).action_feedback(
            feedback=self.env._("Solution recorded.")
        )
        for call in self:
            officer = call._responsible_officer()
            env = call.with_context(lang=officer.lang or self.env.lang).env
            call.activity_schedule(
                INFORM_TYPE_XMLID,
                date_deadline=call.company_id._revisit_today(),
                summary=env._("Inform the customer of the solution"),
                note=Markup("<p>%s</p>") % call.solution,
                user_id=officer.id,
            )

    def action_inform(self):
        """The customer was told the solution."""
        if any(call.resolution_state != "solved" for call in self):
            raise UserError(
                self.env._("Only solved calls can be marked as customer informed.")
            )
        self.write(
            {"resolution_state": "informed", "date_informed": fields.Datetime.now()}
        )
        internal(self._activities_of_type(INFORM_TYPE_XMLID)).action_feedback(
            feedback=self.env._("Customer informed.")
        )

    def _activities_of_type(self, xmlid):
        activity_type = self.env.ref(xmlid)
        closing = self.env.context.get("aftersales_closing_activity_ids") or []
        return self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.id not in closing
        )

    def _responsible_officer(self):
        """The officer who logged this call, or, when they can no longer follow
        this company's customers up, the customer's officer or the manager."""
        self.ensure_one()
        if self.user_id._revisit_can_follow_up(self.company_id):
            return self.user_id
        return self.partner_id._revisit_responsible_officer(self.company_id)[0]

    @api.model
    def _cron_escalate_unsolved(self, batch_size=500):
        """Escalate to the manager the calls unsolved two working days later."""
        domain = self._get_escalation_domain()
        calls = self.search(domain, limit=batch_size)
        calls._escalate()
        remaining = self.search_count(domain) if len(calls) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(calls), remaining=remaining)
        return len(calls)

    def _get_escalation_domain(self):
        """Hook: calls due for escalation now."""
        return [
            ("resolution_state", "=", "to_study"),
            ("escalation_due", "<=", fields.Datetime.now()),
        ]

    def _escalate(self):
        claimed = claim(self)
        claimed.resolution_state = "escalated"
        managers = {c: c._revisit_manager() for c in claimed.company_id}
        res_model_id = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref(ESCALATION_TYPE_XMLID)
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                call.with_context(
                    lang=managers[call.company_id].lang or self.env.lang
                )._prepare_escalation_vals(
                    res_model_id, activity_type, managers[call.company_id]
                )
                for call in claimed
            ]
        )

    def _prepare_escalation_vals(self, res_model_id, activity_type, manager):
        """Hook: the manager's activity for this unsolved call."""
        self.ensure_one()
        return {
            "res_model_id": res_model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "summary": self.env._(
                "Unsolved complaint or request of %(customer)s",
                customer=self.partner_id.display_name,
            ),
            "note": self._escalation_note(),
            "date_deadline": self.company_id._revisit_today(),
            "user_id": manager.id,
            "automated": True,
        }

    def _escalation_note(self):
        self.ensure_one()
        intro = self.env._(
            "Still unsolved %(days)s working days after call %(call)s was logged by "
            "%(officer)s.",
            days=ESCALATE_AFTER_WORKING_DAYS,
            call=self.name,
            officer=self.user_id.name,
        )
        return Markup("<p>%s</p>") % intro + self._revisit_notes_html()

    # ------------------------------------------------------------------
    # 2-day rule for consultations
    # ------------------------------------------------------------------

    def _get_file_check_domain(self):
        limit = fields.Datetime.now() - timedelta(days=FILE_COMPLETE_WITHIN_DAYS)
        return [
            ("call_type", "=", "consultation"),
            ("revisit_file_alerted", "=", False),
            ("date", "<=", limit),
            ("date", ">", limit - timedelta(days=30)),
        ]

    def _revisit_missing_file_fields(self):
        missing = self.partner_id._revisit_missing_file_fields()
        if self.vehicle_id:
            missing += self.vehicle_id._revisit_missing_file_fields()
        return missing

    def _revisit_file_officer(self):
        return self._responsible_officer()

    def _revisit_file_message(self, missing):
        return self.env._(
            "The customer file of %(customer)s is still incomplete two days after "
            "their consultation. Missing: %(missing)s.",
            customer=self.partner_id.display_name,
            missing=", ".join(missing),
        )
