from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesRevisitCommon, d


@tagged("post_install", "-at_install")
class TestEscalation(AftersalesRevisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.escalation_type = cls.env.ref(
            "aftersales_revisit.mail_activity_type_revisit_escalation"
        )
        cls.inform_type = cls.env.ref(
            "aftersales_revisit.mail_activity_type_revisit_inform"
        )
        # Only this test's calls wait for an answer: the cron counts are exact.
        cls.env["aftersales.call"].search(
            [("resolution_state", "=", "to_study")]
        ).resolution_state = "solved_on_call"

    def _complaint(self, logged_local, **values):
        with freeze_time(self._utc(logged_local)):
            return (
                self.env["aftersales.call"]
                .with_user(self.officer)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "phone": "+57 310 555 0101",
                        "direction": "inbound",
                        "call_type": "complaint",
                        "complaint": "The air conditioning still does not cool.",
                        **values,
                    }
                )
            )

    def _escalate_at(self, local_dt):
        with freeze_time(self._utc(local_dt)):
            return self.env["aftersales.call"]._cron_escalate_unsolved()

    def test_escalation_after_two_working_days_across_weekend(self):
        # Friday 5 March 2027, 15:00: working days after it are Monday 8 and
        # Tuesday 9 March, so the call escalates on Tuesday at 15:00.
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        self.assertEqual(call.resolution_state, "to_study")
        self.assertEqual(call.escalation_due, self._utc(datetime(2027, 3, 9, 15, 0)))
        self.assertEqual(self._escalate_at(datetime(2027, 3, 8, 18, 0)), 0)
        self.assertEqual(self._escalate_at(datetime(2027, 3, 9, 14, 59)), 0)
        self.assertEqual(call.resolution_state, "to_study")
        self.assertEqual(self._escalate_at(datetime(2027, 3, 9, 15, 0)), 1)
        self.assertEqual(call.resolution_state, "escalated")
        activity = call.activity_ids
        self.assertEqual(activity.activity_type_id, self.escalation_type)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.date_deadline, d("2027-03-09"))
        self.assertIn("does not cool", activity.note)
        # A second run, or a run an hour later, escalates nothing more.
        self.assertEqual(self._escalate_at(datetime(2027, 3, 9, 16, 0)), 0)
        self.assertEqual(len(call.activity_ids), 1)

    def test_public_holiday_delays_escalation(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": self._utc_at(d("2027-03-08"), 0),
                "date_to": self._utc_at(d("2027-03-08"), 23, 59),
            }
        )
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        self.assertEqual(call.escalation_due, self._utc(datetime(2027, 3, 10, 15, 0)))

    def test_solved_on_call_is_never_escalated(self):
        call = self._complaint(
            datetime(2027, 3, 5, 15, 0), resolution_state="solved_on_call"
        )
        self.assertEqual(call.resolution_state, "solved_on_call")
        self.assertFalse(call.escalation_due)
        self.assertEqual(self._escalate_at(datetime(2027, 3, 15, 9, 0)), 0)

    def test_call_without_complaint_or_request_needs_nothing(self):
        call = self._complaint(datetime(2027, 3, 5, 15, 0), complaint=False)
        self.assertEqual(call.resolution_state, "none")
        self.assertFalse(call.escalation_due)

    def test_solution_gives_same_day_inform_activity_then_informed(self):
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        self._escalate_at(datetime(2027, 3, 9, 15, 0))
        with self.assertRaisesRegex(UserError, "Write the solution"):
            call.with_user(self.manager).action_solve()
        call.with_user(self.manager).solution = "Refrigerant refilled, leak fixed."
        # Tuesday 9 March at 23:30 in Bogotá is already Wednesday in UTC: the
        # inform activity is still due the same local day, Tuesday.
        with freeze_time(self._utc(datetime(2027, 3, 9, 23, 30))):
            call.with_user(self.manager).action_solve()
        self.assertEqual(call.resolution_state, "solved")
        self.assertEqual(call.date_solved, self._utc(datetime(2027, 3, 9, 23, 30)))
        inform = call.activity_ids
        self.assertEqual(inform.activity_type_id, self.inform_type)
        self.assertEqual(inform.user_id, self.officer)
        self.assertEqual(inform.date_deadline, d("2027-03-09"))
        # The manager's escalation activity is closed and kept.
        escalations = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "aftersales.call"),
                    ("res_id", "=", call.id),
                    ("activity_type_id", "=", self.escalation_type.id),
                ]
            )
        )
        self.assertEqual(escalations.mapped("active"), [False])
        # The officer marks the inform activity done: the customer is informed.
        with freeze_time(self._utc(datetime(2027, 3, 10, 9, 0))):
            inform.with_user(self.officer).action_feedback(feedback="Called back")
        self.assertEqual(call.resolution_state, "informed")
        self.assertEqual(call.date_informed, self._utc(datetime(2027, 3, 10, 9, 0)))
        self.assertFalse(call.activity_ids)

    def test_manager_closes_escalation_activity_after_writing_solution(self):
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        self._escalate_at(datetime(2027, 3, 9, 15, 0))
        escalation = call.activity_ids
        with self.assertRaisesRegex(UserError, "Write the solution"):
            escalation.with_user(self.manager).action_feedback()
        call.solution = "Replaced the compressor."
        with freeze_time(self._utc(datetime(2027, 3, 10, 10, 0))):
            escalation.with_user(self.manager).action_feedback()
        self.assertEqual(call.resolution_state, "solved")
        self.assertEqual(call.activity_ids.activity_type_id, self.inform_type)
        self.assertEqual(call.activity_ids.date_deadline, d("2027-03-10"))

    def test_solved_before_escalation_is_not_escalated(self):
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        call.solution = "Explained the eco mode."
        with freeze_time(self._utc(datetime(2027, 3, 8, 10, 0))):
            call.with_user(self.officer).action_solve()
        self.assertEqual(call.activity_ids.activity_type_id, self.inform_type)
        self.assertEqual(call.activity_ids.date_deadline, d("2027-03-08"))
        self.assertEqual(self._escalate_at(datetime(2027, 3, 12, 10, 0)), 0)
        with freeze_time(self._utc(datetime(2027, 3, 8, 11, 0))):
            call.with_user(self.officer).action_inform()
        self.assertEqual(call.resolution_state, "informed")

    def test_inactive_officer_inform_goes_to_manager(self):
        call = self._complaint(datetime(2027, 3, 5, 15, 0))
        call.user_id = self.officer_2
        self.officer_2.action_archive()
        self.customer.revisit_officer_id = self.officer_2
        call.solution = "Fixed."
        with freeze_time(self._utc(datetime(2027, 3, 8, 10, 0))):
            call.action_solve()
        self.assertEqual(call.activity_ids.user_id, self.manager)
