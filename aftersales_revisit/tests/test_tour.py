from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import OFFICER_GROUPS


@tagged("post_install", "-at_install")
class TestLogCallTour(HttpCase):
    def test_log_call_from_activities_menu(self):
        officer = new_test_user(
            self.env, "tour_officer", groups=OFFICER_GROUPS, name="Tina Officer"
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tomás Tour",
                "mobile": "+57 310 555 0142",
                "country_id": self.env.ref("base.co").id,
                "revisit_officer_id": officer.id,
            }
        )
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env.ref("fleet.model_corolla_ts").id,
                "license_plate": "TOUR-1",
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
        officer = new_test_user(
            self.env, "tour_officer_2", groups=OFFICER_GROUPS, name="Teo Officer"
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tania Done",
                "mobile": "+57 310 555 0143",
                "country_id": self.env.ref("base.co").id,
                "revisit_officer_id": officer.id,
            }
        )
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.env.ref("fleet.model_corolla_ts").id,
                "license_plate": "TOUR-2",
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
        self.assertGreater(revisit.date_due, today)
