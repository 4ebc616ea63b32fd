import logging
from datetime import time, timedelta

import psycopg2.errors
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from .activity_guard import CALL_TYPE_XMLID, CONTACT_TYPE_XMLID, internal
from .aftersales_revisit_plan_step import CHANNELS

_logger = logging.getLogger(__name__)

MAX_CALL_ATTEMPTS = 3
SERVICE_MODEL = "fleet.vehicle.log.services"
MANAGER_GROUP = "aftersales_revisit.aftersales_revisit_group_manager"
# Follow-up fields copied onto the follow-up's open activity when they change.
ACTIVITY_SYNC = {
    "user_id": "user_id",
    "date_due": "date_deadline",
    "summary": "summary",
}


class AftersalesRevisit(models.Model):
    _name = "aftersales.revisit"
    _description = "Follow-up"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due, id"
    _check_company_auto = True

    summary = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    partner_mobile = fields.Char(related="partner_id.mobile", string="Mobile")
    vehicle_id = fields.Many2one(
        "fleet.vehicle", index="btree_not_null", check_company=True
    )
    service_id = fields.Many2one(
        SERVICE_MODEL, string="Service Record", index="btree_not_null"
    )
    plan_id = fields.Many2one("aftersales.revisit.plan", index="btree_not_null")
    step_id = fields.Many2one("aftersales.revisit.plan.step", string="Plan Step")
    trigger_key = fields.Char(
        readonly=True,
        copy=False,
        help="What started this follow-up (for a service handover: the vehicle "
        "and the local handover day); with the step, it is unique so no trigger "
        "is followed up twice.",
    )
    trigger_date = fields.Date(readonly=True)
    date_due = fields.Date(string="Due", required=True, index=True, tracking=True)
    date_deadline = fields.Date(string="Deadline", tracking=True)
    channel = fields.Selection(CHANNELS, required=True, default="call")
    user_id = fields.Many2one(
        "res.users",
        string="Officer",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("done", "Done"),
            ("missed", "Missed"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
    )
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    note = fields.Html(string="Talking Points")
    assignment_note = fields.Char(
        readonly=True, help="Why the follow-up is not with the designated officer."
    )
    contact_issue = fields.Char(
        readonly=True, help="Why the customer cannot be reached on this channel."
    )
    call_ids = fields.One2many("aftersales.call", "revisit_id", string="Calls")
    attempt_count = fields.Integer(
        string="Call Attempts", compute="_compute_attempt_count", store=True
    )
    previous_id = fields.Many2one(
        "aftersales.revisit",
        string="Previous Follow-up",
        compute="_compute_previous_id",
        help="The follow-up of the previous step of the same plan and trigger.",
    )
    previous_notes = fields.Html(compute="_compute_previous_notes")

    _sql_constraints = [
        (
            "trigger_step_uniq",
            "unique (step_id, trigger_key)",
            "This plan step was already planned for this trigger.",
        )
    ]

    @api.depends("call_ids")
    def _compute_attempt_count(self):
        for revisit in self:
            revisit.attempt_count = len(revisit.call_ids)

    @api.depends("trigger_key", "plan_id", "step_id")
    def _compute_previous_id(self):
        siblings = self._plan_siblings()
        for revisit in self:
            earlier = [
                r
                for r in siblings.get((revisit.trigger_key, revisit.plan_id), [])
                if r._step_rank() < revisit._step_rank()
            ]
            revisit.previous_id = earlier[-1] if earlier else False

    def _step_rank(self):
        return (self.step_id.sequence, self.step_id.id)

    def _plan_siblings(self):
        """Follow-ups sharing a trigger and a plan, by (key, plan), in step order."""
        planned = self.filtered(lambda r: r.trigger_key and r.step_id)
        siblings = {}
        if not planned:
            return siblings
        for revisit in self.search(
            [
                ("trigger_key", "in", list(set(planned.mapped("trigger_key")))),
                ("step_id", "!=", False),
            ]
        ).sorted(lambda r: r._step_rank()):
            siblings.setdefault((revisit.trigger_key, revisit.plan_id), []).append(
                revisit
            )
        return siblings

    def _next_steps(self):
        """Planned follow-ups of the later steps of the same plan and trigger."""
        self.ensure_one()
        return self.browse(
            r.id
            for r in self._plan_siblings().get((self.trigger_key, self.plan_id), [])
            if r._step_rank() > self._step_rank() and r.state == "planned"
        )

    @api.depends("previous_id")
    def _compute_previous_notes(self):
        for revisit in self:
            calls = revisit.previous_id.call_ids.filtered(
                lambda c: c.reached == "answered"
            )
            revisit.previous_notes = calls[:1]._revisit_notes_html()

    @api.depends("summary", "partner_id")
    def _compute_display_name(self):
        for revisit in self:
            revisit.display_name = " - ".join(
                filter(None, [revisit.summary, revisit.partner_id.name])
            )

    def write(self, vals):
        res = super().write(vals)
        synced = {ACTIVITY_SYNC[f]: vals[f] for f in ACTIVITY_SYNC if f in vals}
        if synced and not self.env.context.get("aftersales_revisit_no_sync"):
            planned = self.filtered(lambda r: r.state == "planned")
            planned._revisit_open_activities().write(synced)
            if "date_due" in vals:
                planned._refresh_activity_note()
        return res

    def unlink(self):
        return super(AftersalesRevisit, internal(self)).unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_log_call(self):
        """Open a call form prefilled from this follow-up."""
        self.ensure_one()
        if self.state != "planned":
            raise UserError(
                self.env._(
                    "Follow-up %(name)s is %(state)s: only planned follow-ups can "
                    "be logged.",
                    name=self.display_name,
                    state=self._state_label(),
                )
            )
        if self.contact_issue:
            raise UserError(
                self.env._(
                    "%(customer)s cannot be called: %(issue)s Update the contact "
                    "data first (the follow-up's activity says how).",
                    customer=self.partner_id.display_name,
                    issue=self.contact_issue,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Call"),
            "res_model": "aftersales.call",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self._prepare_call_defaults(),
        }

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _prepare_call_defaults(self):
        """Hook: default values of the call logged from this follow-up."""
        feedback = self.env.context.get("aftersales_feedback")
        return {
            "default_revisit_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_phone": self.partner_id._revisit_any_number(),
            "default_vehicle_id": self.vehicle_id.id,
            "default_service_id": self.service_id.id,
            "default_company_id": self.company_id.id,
            "default_direction": "outbound",
            "default_call_type": "follow_up",
            "default_user_id": self.env.user.id,
            "default_key_points": feedback or False,
        }

    def action_cancel(self):
        self._check_manager()
        self._cancel()

    def _cancel(self):
        for revisit in self.filtered(lambda r: r.state == "planned"):
            internal(revisit._revisit_open_activities()).unlink()
            revisit.state = "cancelled"

    def action_reset_planned(self):
        self._check_manager()
        for revisit in self.filtered(lambda r: r.state == "cancelled"):
            revisit.state = "planned"
            revisit._create_activities()

    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP) and not self.env.su:
            raise AccessError(
                self.env._("Only a follow-up manager can cancel or re-plan follow-ups.")
            )

    # ------------------------------------------------------------------
    # Call outcome
    # ------------------------------------------------------------------

    def _register_call(self, call):
        """A call was logged against this follow-up: complete or retry it."""
        self.ensure_one()
        if call.reached == "answered":
            self._complete(call)
        else:
            self._register_failed_attempt(call)

    def _complete(self, call):
        self.write({"state": "done", "date_done": call.date})
        feedback = self.env._("Call %(call)s logged.", call=call.name)
        internal(self._revisit_open_activities()).action_feedback(feedback=feedback)
        self._next_steps().filtered(
            "step_id.show_previous_notes"
        )._refresh_activity_note()

    def _register_failed_attempt(self, call):
        """Retry on the next working day, within the window and three attempts."""
        attempts = len(
            self.with_context(active_test=False).call_ids.filtered(
                lambda c: c.reached != "answered"
            )
        )
        call_day = self.company_id._revisit_local_date(call.date)
        retry_day = max(
            self.company_id._revisit_add_working_days(call_day, 1), self.date_due
        )
        if attempts >= MAX_CALL_ATTEMPTS:
            self._miss(
                self.env._(
                    "Missed: the customer could not be reached after %(count)s "
                    "attempts.",
                    count=attempts,
                )
            )
        elif self.date_deadline and retry_day > self.date_deadline:
            self._miss(
                self.env._(
                    "Missed: no answer, and the window closed on %(deadline)s.",
                    deadline=format_date(self.env, self.date_deadline),
                )
            )
        else:
            self.date_due = retry_day
            self.message_post(
                body=self.env._(
                    "Attempt %(attempt)s of %(max)s: %(outcome)s. Next try on %(day)s.",
                    attempt=attempts,
                    max=MAX_CALL_ATTEMPTS,
                    outcome=call._reached_label(),
                    day=format_date(self.env, retry_day),
                )
            )

    def _complete_without_call(self):
        """A follow-up on another channel than a call, marked done."""
        self.write({"state": "done", "date_done": fields.Datetime.now()})

    def _miss(self, reason):
        self.state = "missed"
        internal(self._revisit_open_activities()).action_feedback(feedback=reason)

    def _revisit_contact_updated(self):
        """The officer closed an "update contact data" activity."""
        for revisit in self.filtered(lambda r: r.state == "planned"):
            if not revisit.partner_id._revisit_callable_number():
                raise UserError(
                    self.env._(
                        "%(customer)s still cannot be called: %(issue)s Update the "
                        "customer's phone number before marking this activity done.",
                        customer=revisit.partner_id.display_name,
                        issue=revisit.partner_id._revisit_contact_issue(),
                    )
                )
            revisit.contact_issue = False
            # the "update contact data" activity is being closed: only the new
            # call activity carries the due date
            revisit.with_context(aftersales_revisit_no_sync=True).date_due = max(
                revisit.date_due, revisit.company_id._revisit_today()
            )
            revisit._create_activities()

    @api.model
    def _cron_miss_overdue(self, batch_size=200):
        """Daily: planned follow-ups whose window closed without a call are
        missed, and their activities closed."""
        domain = self._get_overdue_domain()
        revisits = self.search(domain, limit=batch_size)
        for revisit in revisits:
            revisit._miss(
                self.env._(
                    "Missed: the window closed on %(deadline)s without a call.",
                    deadline=format_date(self.env, revisit.date_deadline),
                )
            )
        remaining = self.search_count(domain) if len(revisits) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(revisits), remaining=remaining)
        return len(revisits)

    def _get_overdue_domain(self):
        """Hook: planned follow-ups past their deadline, in each company's day."""
        companies = self.env["res.company"].search([("active", "=", True)])
        return expression.AND(
            [
                [("state", "=", "planned")],
                expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            ("date_deadline", "<", company._revisit_today()),
                        ]
                        for company in companies
                    ]
                ),
            ]
        )

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def _revisit_open_activities(self):
        """The open activities of the follow-ups' plan steps."""
        return self.activity_ids.filtered(
            lambda a: a.activity_type_id.res_model == self._name
        )

    def _activity_type(self, contact_type, call_type):
        """Update-contact type while the customer cannot be called, else the
        step's type."""
        self.ensure_one()
        if self.contact_issue:
            return contact_type
        return self.step_id.activity_type_id or call_type

    def _activity_note(self):
        """Talking points, window, previous call's notes and assignment notes."""
        self.ensure_one()
        parts = []
        if self.contact_issue:
            parts.append(
                escape(
                    self.env._(
                        "%(issue)s Update the customer's contact data, then mark "
                        "this activity done to plan the call.",
                        issue=self.contact_issue,
                    )
                )
            )
        if self.date_deadline:
            parts.append(
                escape(
                    self.env._(
                        "To do between %(due)s and %(deadline)s.",
                        due=format_date(self.env, self.date_due),
                        deadline=format_date(self.env, self.date_deadline),
                    )
                )
            )
        if self.assignment_note:
            parts.append(escape(self.assignment_note))
        body = Markup("").join(Markup("<p>%s</p>") % part for part in parts)
        if self.note:
            body += self.note
        if self.step_id.show_previous_notes and self.previous_notes:
            body += self.previous_notes
        return body

    def _prepare_activity_vals(self, res_model_id, contact_type, call_type):
        self.ensure_one()
        return {
            "res_model_id": res_model_id,
            "res_id": self.id,
            "activity_type_id": self._activity_type(contact_type, call_type).id,
            "summary": self.summary,
            "note": self._activity_note(),
            "date_deadline": self.date_due,
            "user_id": self.user_id.id,
            "automated": True,
        }

    def _create_activities(self):
        """One activity per follow-up, created in one batch without e-mails."""
        res_model_id = self.env["ir.model"]._get_id(self._name)
        types = self.env.ref(CONTACT_TYPE_XMLID), self.env.ref(CALL_TYPE_XMLID)
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    r.with_context(
                        lang=r.user_id.lang or self.env.lang
                    )._prepare_activity_vals(res_model_id, *types)
                    for r in self
                ]
            )
        )

    def _refresh_activity_note(self):
        self.invalidate_recordset(["previous_id", "previous_notes"])
        for revisit in self:
            revisit._revisit_open_activities().note = revisit.with_context(
                lang=revisit.user_id.lang or self.env.lang
            )._activity_note()

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------

    @api.model
    def _cron_generate_revisits(self, batch_size=500):
        """Daily: plan the follow-ups whose window is open, one batch a call."""
        done, remaining = self._generate_due_revisits(limit=batch_size)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _generate_due_revisits(self, limit=500, today=None):
        """Create up to `limit` due follow-ups; return (created, remaining)."""
        self.env.flush_all()  # the candidates are selected in SQL
        plans = self.env["aftersales.revisit.plan"].search(
            [("trigger", "=", "service"), ("step_ids", "!=", False)]
        )
        created = remaining = 0
        for company in self.env["res.company"].search([("active", "=", True)]):
            day = today or company._revisit_today()
            for plan in plans.filtered(
                lambda p, c=company: not p.company_id or p.company_id == c
            ):
                rows = self._service_candidates(plan, company, day, limit - created)
                created += self._create_from_services(rows, company, day)
                remaining += self._service_candidates(plan, company, day, count=True)
        return created, remaining

    def _visit_key_sql(self, trigger_date):
        """One trigger per visit: a vehicle handed back on a local day, whatever
        the number of service records (one per service type) of that visit."""
        return SQL(
            "CONCAT('visit,', s.vehicle_id, ',', to_char(%s, 'YYYY-MM-DD'))",
            trigger_date,
        )

    @api.model
    def _visit_key(self, vehicle, day):
        return f"visit,{vehicle.id},{day.isoformat()}"

    def _service_candidates(self, plan, company, today, limit=0, count=False):
        """(service, step, trigger day) rows of `plan` due by `today` and not
        yet planned, one per visit and step, in one query; or their number."""
        if not count and limit <= 0:
            return []
        trigger_date = SQL(
            "COALESCE((s.revisit_handover AT TIME ZONE 'UTC' AT TIME ZONE %s)::date,"
            " s.date)",
            company._revisit_tz().zone,
        )
        reach = plan._reach_days() + 1
        audience = SQL("TRUE")
        if domain := plan._audience_domain():
            partners = self.env["res.partner"].with_context(active_test=False)
            audience = SQL(
                "s.revisit_customer_id IN %s", partners._search(domain).subselect()
            )
        rows = SQL(
            """
            SELECT DISTINCT ON (s.vehicle_id, 3, st.id) s.id, st.id,
                   %(trigger_date)s, st.sequence
            FROM fleet_vehicle_log_services s
            JOIN aftersales_revisit_plan_step st ON st.plan_id = %(plan)s
            JOIN fleet_vehicle v ON v.id = s.vehicle_id
            JOIN res_partner p ON p.id = s.revisit_customer_id
            WHERE s.company_id = %(company)s
              AND s.state = 'done' AND s.active
              AND (v.company_id IS NULL OR v.company_id = s.company_id)
              AND (p.company_id IS NULL OR p.company_id = s.company_id)
              AND (s.revisit_handover >= %(since)s
                   OR (s.revisit_handover IS NULL AND s.date >= %(since_day)s))
              AND %(trigger_date)s + st.offset_days + st.window_days >= %(today)s
              AND %(trigger_date)s + st.offset_days - %(horizon)s <= %(today)s
              AND %(audience)s
              AND NOT EXISTS (
                  SELECT 1 FROM aftersales_revisit r
                  WHERE r.step_id = st.id
                    AND (r.trigger_key = %(visit_key)s OR r.service_id = s.id))
            ORDER BY s.vehicle_id, 3, st.id, s.id
            """,
            plan=plan.id,
            company=company.id,
            since=fields.Datetime.to_datetime(today - timedelta(days=reach + 1)),
            since_day=today - timedelta(days=reach),
            trigger_date=trigger_date,
            today=today,
            horizon=plan.horizon_days,
            audience=audience,
            visit_key=self._visit_key_sql(trigger_date),
        )
        if count:
            self.env.cr.execute(SQL("SELECT COUNT(*) FROM (%s) c", rows))
            return self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL("SELECT c.* FROM (%s) c ORDER BY 3, 1, 4, 2 LIMIT %s", rows, limit)
        )
        return [row[:3] for row in self.env.cr.fetchall()]

    def _create_from_services(self, rows, company, today):
        """Create the follow-ups of candidate rows and their activities, all or
        nothing: a concurrent run that planned them first wins."""
        if not rows:
            return 0
        # Records taken from iterating the whole batch keep prefetching it.
        services = {
            s.id: s for s in self.env[SERVICE_MODEL].browse({r[0] for r in rows})
        }
        steps = {
            s.id: s
            for s in self.env["aftersales.revisit.plan.step"].browse(
                {r[1] for r in rows}
            )
        }
        vals_list = [
            self._prepare_service_revisit_vals(
                services[service_id], steps[step_id], trigger_day, today, company
            )
            for service_id, step_id, trigger_day in rows
        ]
        try:
            with self.env.cr.savepoint():
                revisits = self.with_context(
                    tracking_disable=True,
                    mail_create_nolog=True,
                    mail_create_nosubscribe=True,
                ).create(vals_list)
                revisits._create_activities()
        except (psycopg2.errors.UniqueViolation, psycopg2.errors.SerializationFailure):
            _logger.info(
                "Follow-ups of %s services were planned by a concurrent run.",
                len(services),
            )
            return 0
        return len(revisits)

    def _prepare_service_revisit_vals(self, service, step, trigger_day, today, company):
        """Hook: values of the follow-up of one plan step for one visit, written
        in the language of the officer who will read them."""
        planned_due = trigger_day + timedelta(days=step.offset_days)
        user, assignment_note = self._step_responsible(step, service, company)
        step = step.with_context(lang=user.lang or self.env.lang)
        partner = service.revisit_customer_id.with_context(lang=step.env.lang)
        contact_issue = False
        if step.channel == "call" and not partner._revisit_callable_number():
            contact_issue = partner._revisit_contact_issue()
        return {
            "summary": step.summary or step.name,
            "partner_id": partner.id,
            "vehicle_id": service.vehicle_id.id,
            "service_id": service.id,
            "plan_id": step.plan_id.id,
            "step_id": step.id,
            "trigger_key": self._visit_key(service.vehicle_id, trigger_day),
            "trigger_date": trigger_day,
            "date_due": max(planned_due, today),
            "date_deadline": planned_due + timedelta(days=step.window_days),
            "channel": step.channel,
            "user_id": user.id,
            "company_id": company.id,
            "note": step.talking_points,
            "assignment_note": assignment_note,
            "contact_issue": contact_issue,
        }

    def _step_responsible(self, step, service, company):
        """(user, note) responsible for a step, falling back to the manager."""
        if step.responsible == "manager":
            return company._revisit_manager(), False
        if step.responsible == "advisor" and (
            service.revisit_advisor_id._revisit_can_follow_up(company)
        ):
            return service.revisit_advisor_id, False
        user, reason = service.revisit_customer_id._revisit_responsible_officer(company)
        return user, reason or False

    @api.model
    def _demo_simulate_history(self, days=7):
        """Demo data: replay the daily cron of the last `days` days, then log a
        few calls, so the inbox has overdue, due-today and upcoming work."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            today = company._revisit_today()
            for back in range(days, -1, -1):
                self._generate_due_revisits(limit=100000, today=today - timedelta(back))
        first_calls = self.search(
            [
                ("state", "=", "planned"),
                ("contact_issue", "=", False),
                ("step_id.sequence", "=", 1),
                ("date_due", "<", fields.Date.context_today(self)),
            ],
            order="date_due, id",
            limit=3,
        )
        for revisit, values in zip(first_calls, self._demo_call_values(), strict=False):
            self.env["aftersales.call"].create(
                dict(revisit._prepare_call_values_for_demo(), **values)
            )
        self._cron_miss_overdue(batch_size=100000)

    def _demo_call_values(self):
        return [
            {
                "reached": "answered",
                "satisfaction": 95,
                "key_points": "Car runs well; happy with the express service.",
            },
            {
                "reached": "answered",
                "satisfaction": 60,
                "key_points": "Noise from the front left wheel since the repair.",
                "complaint": "Noise from the front left wheel after the repair.",
            },
            {"reached": "no_answer"},
        ]

    def _prepare_call_values_for_demo(self):
        defaults = self._prepare_call_defaults()
        values = {
            key.removeprefix("default_"): value for key, value in defaults.items()
        }
        values["user_id"] = self.user_id.id
        values["date"] = self.company_id._revisit_to_utc(self.date_due, time(10, 30))
        return values
