from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import MANAGER_GROUPS, OFFICER_GROUPS, AftersalesRevisitCommon, d


@tagged("post_install", "-at_install")
class TestFollowUpLifecycle(AftersalesRevisitCommon):
    """What happens to a follow-up and its activity when people and records
    change around it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call_1, cls.call_2 = cls._plan_monday_service()

    def test_reassigning_moves_the_activity(self):
        self.call_1.with_user(self.manager).user_id = self.officer_2
        self.assertEqual(self.call_1.activity_ids.user_id, self.officer_2)
        self.call_1.with_user(self.officer).date_due = d("2027-03-05")
        self.assertEqual(self.call_1.activity_ids.date_deadline, d("2027-03-05"))
        self.assertIn("03/05/2027", self.call_1.activity_ids.note)

    def test_archiving_an_officer_hands_follow_ups_to_the_manager(self):
        self.officer.action_archive()
        for revisit in self.call_1 | self.call_2:
            self.assertEqual(revisit.user_id, self.manager)
            self.assertEqual(revisit.activity_ids.user_id, self.manager)
            self.assertEqual(
                revisit.assignment_note,
                "Assigned to the manager: the officer Oscar Officer was archived.",
            )

    def test_window_closed_without_call_is_missed_by_cron(self):
        Revisit = self.env["aftersales.revisit"]
        # 8 March is call 1's last day: nothing to do yet.
        with freeze_time("2027-03-08 15:00:00"):
            Revisit._cron_miss_overdue()
        self.assertEqual(self.call_1.state, "planned")
        with freeze_time("2027-03-09 15:00:00"):
            Revisit._cron_miss_overdue()
            Revisit._cron_miss_overdue()
        self.assertEqual(self.call_1.state, "missed")
        self.assertFalse(self.call_1.activity_ids)
        self.assertEqual(self.call_2.state, "planned")
        self.assertIn(
            "the window closed on 03/08/2027 without a call",
            self.call_1.message_ids[:1].body,
        )

    def test_officer_cannot_cancel_or_delete(self):
        with self.assertRaises(AccessError):
            self.call_1.with_user(self.officer).action_cancel()
        with self.assertRaises(AccessError):
            self.call_1.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "ask a manager to cancel"):
            self.call_1.activity_ids.with_user(self.officer).unlink()
        self.assertEqual(self.call_1.state, "planned")

    def test_cancelled_service_cancels_its_planned_follow_ups(self):
        with freeze_time("2027-03-04 15:00:00"):
            self._log_call(self.call_1)
        self.service.state = "cancelled"
        self.assertEqual((self.call_1.state, self.call_2.state), ("done", "cancelled"))
        self.assertFalse(self.call_2.activity_ids)

    def test_logged_call_keeps_its_outcome(self):
        with freeze_time("2027-03-05 15:00:00"):
            call = self._log_call(self.call_1, reached="no_answer")
        with self.assertRaisesRegex(UserError, "log a new call instead"):
            call.with_user(self.officer).reached = "answered"
        call.with_user(self.officer).key_points = "Left a voicemail"
        self.assertEqual(call.key_points, "Left a voicemail")

    def test_officer_cannot_archive_a_call(self):
        with freeze_time("2027-03-04 15:00:00"):
            call = self._log_call(self.call_1)
        with self.assertRaises(AccessError):
            call.with_user(self.officer).action_archive()
        call.with_user(self.manager).action_archive()
        self.assertFalse(call.active)

    def test_activity_done_action_of_the_web_client(self):
        activity = self.call_1.activity_ids
        action = activity.with_user(self.officer).action_aftersales_revisit_done()
        self.assertEqual(action["res_model"], "aftersales.call")
        self.assertEqual(action["context"]["default_revisit_id"], self.call_1.id)
        self.assertEqual(action["context"]["default_company_id"], self.company.id)
        # Any other activity on the follow-up is marked done as usual.
        todo = self.call_1.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.officer.id
        )
        self.assertFalse(todo.with_user(self.officer).action_aftersales_revisit_done())
        todo.with_user(self.officer).action_feedback()
        self.assertEqual(self.call_1.state, "planned")

    def test_fleet_manager_without_follow_up_rights_cancels_a_service(self):
        fleet_manager = new_test_user(
            self.env, "as_fleet_manager", groups="fleet.fleet_group_manager"
        )
        self.service.with_user(fleet_manager).state = "cancelled"
        self.assertEqual((self.call_1.state, self.call_2.state), ("cancelled",) * 2)

    def test_correcting_the_handover_does_not_plan_the_visit_twice(self):
        self.service.revisit_handover = self._utc(datetime(2027, 3, 2, 9, 0))
        self._generate(d("2027-03-04"))
        self.assertEqual(
            self.env["aftersales.revisit"].search_count(
                [("service_id", "=", self.service.id)]
            ),
            2,
        )

    def test_archiving_a_user_given_a_follow_up_activity_in_the_chatter(self):
        self.call_1.activity_ids.user_id = self.officer_2
        self.officer_2.action_archive()
        self.assertEqual(self.call_1.activity_ids.user_id, self.manager)
        self.assertEqual(self.call_1.state, "planned")

    def test_early_failed_call_does_not_advance_the_due_date(self):
        # Call 2 is due Tuesday 9 March; a try on Thursday 4 March fails.
        with freeze_time("2027-03-04 15:00:00"):
            self._log_call(self.call_2, reached="no_answer")
        self.assertEqual(self.call_2.date_due, d("2027-03-09"))

    def test_call_with_open_complaint_cannot_be_archived(self):
        with freeze_time("2027-03-04 15:00:00"):
            call = self._log_call(self.call_1, complaint="Door rattles")
        with self.assertRaisesRegex(UserError, "solve it and inform the customer"):
            call.with_user(self.manager).action_archive()
        self.assertTrue(call.active)


@tagged("post_install", "-at_install")
class TestGenerationEdges(AftersalesRevisitCommon):
    def test_two_service_records_of_one_visit_plan_one_follow_up_per_step(self):
        handover = datetime(2027, 3, 1, 17, 0)
        oil = self._create_service(self.vehicle, d("2027-03-01"), handover=handover)
        tyres = self._create_service(self.vehicle, d("2027-03-01"), handover=handover)
        self._generate(d("2027-03-02"))
        revisits = self.env["aftersales.revisit"].search(
            [("service_id", "in", (oil | tyres).ids)], order="date_due"
        )
        self.assertEqual(revisits.step_id, self.step_1 | self.step_2)
        self.assertEqual(len(revisits), 2)
        self.assertEqual(revisits.service_id, oil)

    def test_company_mismatch_is_skipped_without_blocking_others(self):
        other = self.env["res.company"].create({"name": "Other Dealer"})
        self.env.user.company_ids |= other
        stray = self.env["fleet.vehicle.log.services"].create(
            {
                "vehicle_id": self._create_vehicle(
                    self._create_customer("Company A customer", mobile="3105550170"),
                    "MIX-1",
                ).id,
                "date": d("2027-03-01"),
                "state": "done",
                "company_id": other.id,
            }
        )
        stray.vehicle_id.company_id = self.company
        stray.revisit_customer_id.company_id = self.company
        good = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-02"))
        self.assertFalse(self._revisits_of(stray))
        self.assertEqual(len(self._revisits_of(good)), 2)

    def test_audience_may_use_uid_and_context_today_but_must_be_valid(self):
        plan = self.plan.with_user(self.manager)
        plan.partner_domain = (
            "[('create_date', '<=', context_today().strftime('%Y-%m-%d 23:59:59')),"
            " ('user_ids', 'not in', [uid])]"
        )
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-01"))
        self.assertEqual(len(self._revisits_of(service)), 1)
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            plan.partner_domain = "[('no_such_field', '=', 1)]"

    def test_owner_set_after_the_service_makes_it_followed_up(self):
        vehicle = self.env["fleet.vehicle"].create(
            {"model_id": self.model.id, "license_plate": "LATE-1"}
        )
        service = self._create_service(vehicle, d("2027-03-01"))
        self.assertFalse(service.revisit_customer_id)
        vehicle.owner_id = self.customer
        self.assertEqual(service.revisit_customer_id, self.customer)
        # A later owner does not rewrite the history of serviced customers.
        vehicle.owner_id = self._create_customer("New owner")
        self.assertEqual(service.revisit_customer_id, self.customer)

    def test_advisor_steps_need_a_follow_up_officer(self):
        self.step_1.responsible = "advisor"
        mechanic = new_test_user(self.env, "as_mechanic", groups="base.group_user")
        service = self._create_service(
            self.vehicle, d("2027-03-01"), revisit_advisor_id=mechanic.id
        )
        service_2 = self._create_service(
            self._create_vehicle(self.customer, "ADV-2"),
            d("2027-03-01"),
            revisit_advisor_id=self.officer_2.id,
        )
        self._generate(d("2027-03-01"))
        # Not an officer: the customer's officer takes the call.
        self.assertEqual(self._revisits_of(service).user_id, self.officer)
        self.assertEqual(self._revisits_of(service_2).user_id, self.officer_2)

    def test_officer_of_another_company_is_not_given_the_follow_up(self):
        other = self.env["res.company"].create({"name": "Other Dealer"})
        outsider = new_test_user(
            self.env,
            "as_outsider",
            groups=OFFICER_GROUPS,
            name="Otto Outsider",
            company_id=other.id,
            company_ids=[other.id],
        )
        customer = self._create_customer("Cross", outsider, mobile="3105550171")
        service = self._create_service(
            self._create_vehicle(customer, "X-1"), d("2027-03-01")
        )
        self._generate(d("2027-03-01"))
        revisit = self._revisits_of(service)
        self.assertEqual(revisit.user_id, self.manager)
        self.assertEqual(
            revisit.assignment_note,
            "Assigned to the manager: the designated officer Otto Outsider is not a "
            f"follow-up officer of {self.company.name}.",
        )

    def test_follow_up_written_in_the_officers_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_revisit"], ["es_ES"], overwrite=True
        )
        self.officer.lang = "es_ES"
        self.step_1.with_context(lang="es_ES").summary = "Llamada posventa 1"
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-01"))
        revisit = self._revisits_of(service)
        self.assertEqual(revisit.summary, "Llamada posventa 1")
        self.assertEqual(revisit.activity_ids.summary, "Llamada posventa 1")
        self.assertIn("A realizar entre el", revisit.activity_ids.note)

    def test_shanghai_handover_just_after_midnight(self):
        # 00:30 on 1 March in Shanghai is still 28 February in UTC.
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        service = self.env["fleet.vehicle.log.services"].create(
            {
                "vehicle_id": self.vehicle.id,
                "date": d("2027-02-28"),
                "state": "done",
                "revisit_handover": datetime(2027, 2, 28, 16, 30),
            }
        )
        self._generate(d("2027-03-01"))
        self.assertEqual(
            [(r.date_due, r.date_deadline) for r in self._revisits_of(service)],
            [(d("2027-03-04"), d("2027-03-08"))],
        )


@tagged("post_install", "-at_install")
class TestContactAndAccess(AftersalesRevisitCommon):
    def test_no_call_logged_while_the_customer_cannot_be_called(self):
        customer = self._create_customer("Silent")
        service = self._create_service(
            self._create_vehicle(customer, "S-1"), d("2027-03-01")
        )
        self._generate(d("2027-03-04"))
        revisit = self._revisits_of(service)[0]
        with self.assertRaisesRegex(UserError, "Update the contact data first"):
            revisit.with_user(self.officer).action_log_call()

    def test_officer_updates_the_customer_file(self):
        partner = self.customer.with_user(self.officer)
        partner.write({"mobile": "+57 310 555 0999", "revisit_tier": "important"})
        self.assertEqual(self.customer.revisit_tier, "important")

    def test_employee_without_follow_up_rights_still_reads_contacts(self):
        employee = new_test_user(self.env, "as_employee_2", groups="base.group_user")
        form = Form(self.customer.with_user(employee))
        self.assertEqual(form.name, "Camila Customer")
        self.customer.with_user(employee).read()

    def test_officer_opens_vehicle_and_service_forms(self):
        service = self._create_service(self.vehicle, d("2027-03-01"))
        for record in (self.vehicle, service, self.customer):
            record = record.with_user(self.officer)
            view = record.get_views([(False, "form")])
            names = list(view["models"][record._name]["fields"])
            record.read(names)
        Form(self.vehicle.with_user(self.officer))

    def test_satisfaction_rated_only_when_given(self):
        manager = new_test_user(self.env, "as_manager_2", groups=MANAGER_GROUPS)
        Call = self.env["aftersales.call"].with_user(manager)
        values = {"partner_id": self.customer.id}
        unrated = Call.create(values)
        rated = Call.create(dict(values, satisfaction=85))
        missed = Call.create(dict(values, reached="no_answer", satisfaction=85))
        self.assertEqual(
            [c.satisfaction_rated for c in (unrated, rated, missed)],
            [False, True, False],
        )
        zero = Call.create(dict(values, satisfaction=0, satisfaction_rated=True))
        self.assertTrue(zero.satisfaction_rated)
