from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesRevisitCommon, d


@tagged("post_install", "-at_install")
class TestCallLog(AftersalesRevisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revisit, cls.revisit_2 = cls._plan_monday_service()

    def test_log_call_form_prefilled_from_follow_up(self):
        action = self.revisit.with_user(self.officer).action_log_call()
        self.assertEqual(action["res_model"], "aftersales.call")
        self.assertEqual(action["target"], "new")
        with freeze_time("2027-03-04 16:20:00"):
            form = Form(
                self.env["aftersales.call"]
                .with_user(self.officer)
                .with_context(**action["context"])
            )
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.phone, "+57 310 555 0101")
            self.assertEqual(form.vehicle_id, self.vehicle)
            self.assertEqual(form.service_id, self.service)
            self.assertEqual(form.revisit_id, self.revisit)
            self.assertEqual(form.direction, "outbound")
            self.assertEqual(form.call_type, "follow_up")
            self.assertEqual(form.reached, "answered")
            form.key_points = "All fine"
            form.satisfaction = 96
            form.topic_ids.add(self.env.ref("aftersales_revisit.call_topic_opinion"))
            call = form.save()
        self.assertEqual(call.user_id, self.officer)
        # Stored in international format (Colombian mobiles: 3 + 7 digits).
        self.assertEqual(call.phone, "+57 310 5550101")
        self.assertTrue(call.name.startswith("CALL/2027/"))
        self.assertEqual(call.resolution_state, "none")
        self.assertEqual(self.revisit.state, "done")
        self.assertEqual(str(self.revisit.date_done), "2027-03-04 16:20:00")
        # The activity is kept as done (keep_done), not deleted.
        self.assertFalse(self.revisit.activity_ids)
        done = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "aftersales.revisit"),
                    ("res_id", "=", self.revisit.id),
                ]
            )
        )
        self.assertEqual(len(done), 1)
        self.assertFalse(done.active)
        self.assertEqual(self.revisit_2.state, "planned")
        self.assertEqual(self.customer.revisit_call_count, 1)

    def test_marking_the_call_activity_done_requires_the_call(self):
        with self.assertRaisesRegex(UserError, "Log a Call"):
            self.revisit.activity_ids.with_user(self.officer).action_feedback(
                feedback="called"
            )
        self.assertEqual(self.revisit.state, "planned")
        self.assertEqual(len(self.revisit.activity_ids), 1)

    def test_logging_a_closed_follow_up_is_refused(self):
        self._log_call(self.revisit)
        with self.assertRaisesRegex(UserError, "only planned follow-ups"):
            self.revisit.with_user(self.officer).action_log_call()

    def test_no_answer_retries_next_working_day_then_missed(self):
        # Call 2: due Tuesday 9 March 2027, deadline Monday 15 March.
        revisit = self.revisit_2
        self.assertEqual(
            (revisit.date_due, revisit.date_deadline),
            (d("2027-03-09"), d("2027-03-15")),
        )
        # Tuesday 9 March, 12:00 local: no answer -> retry Wednesday 10 March.
        with freeze_time("2027-03-09 17:00:00"):
            first = self._log_call(revisit, reached="no_answer")
        self.assertEqual(revisit.state, "planned")
        self.assertEqual(revisit.date_due, d("2027-03-10"))
        self.assertEqual(revisit.activity_ids.date_deadline, d("2027-03-10"))
        self.assertEqual(revisit.attempt_count, 1)
        # Wednesday: busy -> Thursday 11 March.
        with freeze_time("2027-03-10 14:00:00"):
            second = self._log_call(revisit, reached="busy")
        self.assertEqual(revisit.date_due, d("2027-03-11"))
        self.assertEqual(revisit.activity_ids.date_deadline, d("2027-03-11"))
        # Thursday: third failed attempt (a wrong number) -> missed.
        with freeze_time("2027-03-11 14:00:00"):
            third = self._log_call(revisit, reached="wrong_number")
        self.assertEqual(revisit.state, "missed")
        self.assertEqual(revisit.attempt_count, 3)
        self.assertEqual(revisit.call_ids, first | second | third)
        self.assertFalse(revisit.activity_ids)
        done = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("res_model", "=", "aftersales.revisit"), ("res_id", "=", revisit.id)]
            )
        )
        self.assertEqual(done.mapped("active"), [False])
        bodies = revisit.message_ids.mapped("body")
        self.assertTrue(any("Attempt 1 of 3" in b for b in bodies))
        self.assertTrue(any("Attempt 2 of 3" in b for b in bodies))
        self.assertTrue(any("after 3 attempts" in b for b in bodies))

    def test_no_answer_when_the_window_closes_is_missed(self):
        # Call 1: due Thursday 4 March, deadline Monday 8 March.
        with freeze_time("2027-03-05 22:00:00"):  # Friday 17:00 local
            self._log_call(self.revisit, reached="no_answer")
        self.assertEqual(self.revisit.date_due, d("2027-03-08"))
        # Monday 8 March, the last day: the next try would be after the window.
        with freeze_time("2027-03-08 15:00:00"):
            self._log_call(self.revisit, reached="call_back")
        self.assertEqual(self.revisit.state, "missed")
        self.assertEqual(self.revisit.attempt_count, 2)
        self.assertFalse(self.revisit.activity_ids)
        # Call 2 still follows.
        self.assertEqual(self.revisit_2.state, "planned")

    def test_retry_at_local_midnight_uses_local_day(self):
        # Friday 5 March 23:30 in Bogotá is Saturday 04:30 UTC: the retry is
        # still the next working day after Friday, Monday 8 March.
        with freeze_time("2027-03-06 04:30:00"):
            self._log_call(self.revisit, reached="no_answer")
        self.assertEqual(self.revisit.date_due, d("2027-03-08"))

    def test_retry_skips_public_holiday(self):
        service = self._create_service(
            self._create_vehicle(self.customer, "HOL-1"), d("2027-03-12")
        )
        self._generate(d("2027-03-13"))
        call_2 = self._revisits_of(service).filtered(lambda r: r.step_id == self.step_2)
        self.assertEqual(
            (call_2.date_due, call_2.date_deadline), (d("2027-03-20"), d("2027-03-26"))
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "San José",
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": self._utc_at(d("2027-03-22"), 0),
                "date_to": self._utc_at(d("2027-03-22"), 23, 59),
            }
        )
        with freeze_time("2027-03-19 15:00:00"):  # Friday
            self._log_call(call_2, reached="no_answer")
        # Saturday, Sunday and the Monday holiday are skipped.
        self.assertEqual(call_2.date_due, d("2027-03-23"))

    def test_phone_is_required_and_normalised(self):
        Call = self.env["aftersales.call"].with_user(self.officer)
        call = Call.create(
            {
                "partner_id": self.customer.id,
                "phone": "310 555 0123",
                "direction": "inbound",
                "call_type": "consultation",
            }
        )
        self.assertEqual(call.phone, "+57 310 5550123")
        with self.assertRaisesRegex(ValidationError, "is not valid"):
            Call.create({"partner_id": self.customer.id, "phone": "12"})
        nobody = self._create_customer("No Number")
        with self.assertRaisesRegex(ValidationError, "Enter the number you called"):
            Call.create({"partner_id": nobody.id})
        # Without a number typed, the customer's number is used.
        self.assertEqual(
            Call.create({"partner_id": self.customer.id}).phone, "+57 310 5550101"
        )

    def test_satisfaction_between_0_and_100(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._log_call(self.revisit, satisfaction=101)
        call = self._log_call(self.revisit, satisfaction=100)
        self.assertEqual(call.satisfaction, 100)

    def test_officer_cannot_delete_a_call_manager_can_archive(self):
        call = self._log_call(self.revisit)
        with self.assertRaises(AccessError):
            call.with_user(self.officer).unlink()
        with self.assertRaises(AccessError):
            call.with_user(self.manager).unlink()
        call.with_user(self.manager).action_archive()
        self.assertFalse(call.active)
        self.assertTrue(call.exists())

    def test_follow_up_activity_cannot_be_cancelled_alone(self):
        with self.assertRaisesRegex(UserError, "ask a manager to cancel"):
            self.revisit.activity_ids.with_user(self.officer).unlink()
        self.assertEqual(len(self.revisit.activity_ids), 1)
        self.revisit.with_user(self.manager).action_cancel()
        self.assertFalse(self.revisit.activity_ids)
        self.revisit_2.unlink()
        self.assertFalse(self.revisit_2.exists())
