from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import OFFICER_GROUPS


@tagged("post_install", "-at_install")
class TestLogCallTour(HttpCase):
    def _follow_up_due_today(self, login, customer_name, mobile, plate):
        """An officer and a customer whose after-service call 1 is due today."""
        officer = new_test_user(self.env, login, groups=OFFICER_GROUPS)
        customer = self.env["res.partner"].create(
            {
                "name": customer_name,
                "mobile": mobile,
                "country_id": self.env.ref("base.co").id,
                "revisit_officer_id": officer.id,
            }
        )
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env.ref("fleet.model_corolla_ts").id,
                "license_plate": plate,
                "owner_id": customer.id,
            }
        )
        today = self.env.company._revisit_today()
        service = self.env["fleet.vehicle.log.services"].create(
            {
                "vehicle_id": vehicle.id,
                "date": today - timedelta(days=3),
                "state": "done",
            }
        )
        self.env["aftersales.revisit"]._generate_due_revisits(today=today)
        revisit = self.env["aftersales.revisit"].search(
            [("service_id", "=", service.id)], order="date_due", limit=1
        )
        self.assertEqual(revisit.activity_ids.date_deadline, today)
        return officer, customer, revisit

    def test_log_call_from_activities_menu(self):
        officer, customer, revisit = self._follow_up_due_today(
            "tour_officer", "Tomás Tour", "+57 310 555 0142", "TOUR-1"
        )
        self.start_tour(
            "/odoo", "aftersales_revisit_log_call_tour", login="tour_officer"
        )

        self.assertEqual(revisit.state, "done")
        call = revisit.call_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.partner_id, customer)
        self.assertEqual(call.phone, "+57 310 5550142")
        self.assertEqual(call.complaint, "Scratch on the rear bumper after the wash")
        self.assertEqual(call.resolution_state, "to_study")
        self.assertEqual(call.user_id, officer)
        self.assertLessEqual(call.date, fields.Datetime.now())

    def test_activity_done_opens_prefilled_call_form(self):
        _officer, _customer, revisit = self._follow_up_due_today(
            "tour_officer_2", "Tania Done", "+57 310 555 0143", "TOUR-2"
        )
        due = revisit.date_due
        self.start_tour(
            f"/odoo/action-aftersales_revisit.aftersales_revisit_action/{revisit.id}",
            "aftersales_revisit_activity_done_tour",
            login="tour_officer_2",
        )
        call = revisit.call_ids
        self.assertEqual(len(call), 1)
        self.assertEqual(call.reached, "no_answer")
        self.assertEqual(call.key_points, "Customer asked for a winter tyre quote")
        self.assertEqual(revisit.state, "planned")
        self.assertEqual(revisit.attempt_count, 1)
        # Next working day of a Monday-Friday week without public holidays
        # nearby (checked): Friday -> Monday (+3), Saturday -> Monday (+2).
        calendar = revisit.company_id.resource_calendar_id
        self.assertFalse(
            calendar.global_leave_ids.filtered(
                lambda leave: (
                    leave.date_to.date() >= due - timedelta(days=1)
                    and leave.date_from.date() <= due + timedelta(days=4)
                )
            )
        )
        self.assertEqual(
            revisit.date_due, due + timedelta(days={4: 3, 5: 2}.get(due.weekday(), 1))
        )
