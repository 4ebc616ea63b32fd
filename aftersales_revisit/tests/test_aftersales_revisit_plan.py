from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AftersalesRevisitCommon, d


@tagged("post_install", "-at_install")
class TestAfterServicePlan(AftersalesRevisitCommon):
    def assertPlanned(self, revisits, expected):
        """expected: [(step, due, deadline)], in due order."""
        self.assertEqual(
            [(r.step_id, r.date_due, r.date_deadline) for r in revisits], expected
        )

    def test_handover_late_evening_local_time_across_month_end(self):
        # Sunday 31 January 2027, 23:30 in Bogotá = Monday 1 February 04:30 UTC.
        service = self._create_service(
            self.vehicle, d("2027-01-31"), handover=datetime(2027, 1, 31, 23, 30)
        )
        self.assertEqual(service.revisit_handover, datetime(2027, 2, 1, 4, 30))
        self._generate(d("2027-02-01"))
        revisits = self._revisits_of(service)
        # Counted from the local day, 31 January: day 3 = 3 Feb, day 7 = 7 Feb,
        # day 8 = 8 Feb, day 14 = 14 Feb.
        self.assertPlanned(
            revisits,
            [
                (self.step_1, d("2027-02-03"), d("2027-02-07")),
                (self.step_2, d("2027-02-08"), d("2027-02-14")),
            ],
        )
        self.assertEqual(revisits.mapped("trigger_date"), [d("2027-01-31")] * 2)
        self.assertEqual(revisits.mapped("state"), ["planned", "planned"])
        self.assertEqual(revisits.user_id, self.officer)
        self.assertEqual(revisits.partner_id, self.customer)
        self.assertEqual(revisits.vehicle_id, self.vehicle)

    def test_activities_land_in_officer_inbox_on_due_day(self):
        service = self._create_service(
            self.vehicle, d("2027-01-31"), handover=datetime(2027, 1, 31, 23, 30)
        )
        self._generate(d("2027-02-01"))
        call_1, call_2 = self._revisits_of(service)
        activity = call_1.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.call_type)
        self.assertEqual(activity.date_deadline, d("2027-02-03"))
        self.assertEqual(activity.user_id, self.officer)
        self.assertEqual(activity.summary, "After-service call 1")
        self.assertTrue(activity.automated)
        self.assertEqual(call_2.activity_ids.date_deadline, d("2027-02-08"))
        with freeze_time("2027-02-03 15:00:00"):
            self.assertEqual(activity.with_user(self.officer).state, "today")

    def test_leap_day(self):
        # Saturday 26 February 2028: day 3 is the leap day.
        service = self._create_service(
            self.vehicle, d("2028-02-26"), handover=datetime(2028, 2, 26, 17, 0)
        )
        self._generate(d("2028-02-27"))
        self.assertPlanned(
            self._revisits_of(service),
            [
                (self.step_1, d("2028-02-29"), d("2028-03-04")),
                (self.step_2, d("2028-03-05"), d("2028-03-11")),
            ],
        )

    def test_service_without_handover_counts_from_service_date(self):
        service = self._create_service(self.vehicle, d("2027-04-30"))
        self._generate(d("2027-05-01"))
        self.assertPlanned(
            self._revisits_of(service),
            [
                (self.step_1, d("2027-05-03"), d("2027-05-07")),
                (self.step_2, d("2027-05-08"), d("2027-05-14")),
            ],
        )

    def test_plan_ahead_horizon(self):
        """Call 2 (day 8) enters the inbox 7 days ahead, on day 1."""
        service = self._create_service(self.vehicle, d("2027-03-10"))
        self._generate(d("2027-03-10"))
        self.assertEqual(self._revisits_of(service).step_id, self.step_1)
        self._generate(d("2027-03-11"))
        self.assertEqual(self._revisits_of(service).step_id, self.step_1 | self.step_2)

    def test_cron_late_run_plans_due_today_while_window_open(self):
        """A cron that did not run for days still plans, due on its run day."""
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-06"))
        # call 1: due 4 March, still open until 8 March -> due today (6 March)
        self.assertPlanned(
            self._revisits_of(service),
            [
                (self.step_1, d("2027-03-06"), d("2027-03-08")),
                (self.step_2, d("2027-03-09"), d("2027-03-15")),
            ],
        )

    def test_closed_windows_plan_nothing(self):
        """History never floods the inbox: closed windows are skipped."""
        service = self._create_service(self.vehicle, d("2027-03-01"))
        # Day 7 after the service: call 1 is still open on its last day.
        self._generate(d("2027-03-08"))
        self.assertEqual(len(self._revisits_of(service)), 2)
        old = self._create_service(self.vehicle, d("2027-02-20"))
        # 16 days later: both windows (day 7 and day 14) are closed.
        self._generate(d("2027-03-08"))
        self.assertFalse(self._revisits_of(old))

    def test_call_2_shows_call_1_notes(self):
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-04"))
        call_1, call_2 = self._revisits_of(service)
        self.assertNotIn("Brakes squeak", call_2.activity_ids.note)
        with freeze_time("2027-03-04 15:00:00"):
            self._log_call(
                call_1,
                key_points="Brakes squeak when cold",
                requests="Wants a quote for winter tyres",
            )
        self.assertEqual(call_2.previous_id, call_1)
        note = call_2.activity_ids.note
        self.assertIn("Brakes squeak when cold", note)
        self.assertIn("Wants a quote for winter tyres", note)
        self.assertIn("Brakes squeak when cold", call_2.previous_notes)

    def test_call_2_created_after_call_1_done_shows_its_notes(self):
        self.plan.horizon_days = 0
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-04"))
        call_1 = self._revisits_of(service)
        with freeze_time("2027-03-04 15:00:00"):
            self._log_call(call_1, key_points="Happy with the car wash")
        self._generate(d("2027-03-09"))
        call_2 = self._revisits_of(service)[1]
        self.assertEqual(call_2.step_id, self.step_2)
        self.assertIn("Happy with the car wash", call_2.activity_ids.note)

    def test_inactive_officer_goes_to_manager_with_note(self):
        self.officer_2.action_archive()
        customer = self._create_customer(
            "Ana Archived", self.officer_2, mobile="3105550102"
        )
        vehicle = self._create_vehicle(customer, "XYZ-987")
        service = self._create_service(vehicle, d("2027-03-01"))
        self._generate(d("2027-03-01"))
        revisit = self._revisits_of(service)
        self.assertEqual(revisit.user_id, self.manager)
        self.assertEqual(revisit.activity_ids.user_id, self.manager)
        self.assertIn("Olga Officer", revisit.assignment_note)
        self.assertIn("archived", revisit.assignment_note)
        self.assertIn("Olga Officer", revisit.activity_ids.note)

    def test_customer_without_officer_goes_to_manager(self):
        customer = self._create_customer("Nobody's", mobile="3105550103")
        customer.revisit_officer_id = False
        service = self._create_service(
            self._create_vehicle(customer, "N-1"), d("2027-03-01")
        )
        self._generate(d("2027-03-01"))
        revisit = self._revisits_of(service)
        self.assertEqual(revisit.user_id, self.manager)
        self.assertIn("no designated officer", revisit.assignment_note)

    def test_audience_domain_limits_customers(self):
        self.plan.partner_domain = "[('revisit_tier', '=', 'key')]"
        service = self._create_service(self.vehicle, d("2027-03-01"))
        self._generate(d("2027-03-01"))
        self.assertFalse(self._revisits_of(service))
        self.customer.revisit_tier = "key"
        self._generate(d("2027-03-01"))
        self.assertEqual(len(self._revisits_of(service)), 1)

    def test_vehicle_without_owner_uses_driver(self):
        driver = self._create_customer("Diego Driver", mobile="3105550104")
        vehicle = self.env["fleet.vehicle"].create(
            {
                "model_id": self.model.id,
                "license_plate": "DRV-1",
                "driver_id": driver.id,
            }
        )
        self.assertEqual(vehicle.revisit_customer_id, driver)
        service = self._create_service(vehicle, d("2027-03-01"))
        self._generate(d("2027-03-01"))
        self.assertEqual(self._revisits_of(service).partner_id, driver)

    def test_service_not_done_is_not_followed_up(self):
        service = self._create_service(self.vehicle, d("2027-02-24"), state="running")
        self._generate(d("2027-03-01"))
        self.assertFalse(self._revisits_of(service))
        # Marked done on Monday 1 March, 18:00 in Bogotá: handed back then, so
        # the plan counts from 1 March, not from the service date.
        with freeze_time("2027-03-01 23:00:00"):
            service.state = "done"
        self.assertEqual(service.revisit_handover, datetime(2027, 3, 1, 23, 0))
        self._generate(d("2027-03-01"))
        self.assertEqual(
            [(r.step_id, r.date_due) for r in self._revisits_of(service)],
            [(self.step_1, d("2027-03-04"))],
        )

    def test_customer_without_phone_gets_update_contact_activity(self):
        customer = self._create_customer("Pablo No-Phone")
        self.assertFalse(customer.phone or customer.mobile)
        service = self._create_service(
            self._create_vehicle(customer, "NP-1"), d("2027-03-01")
        )
        self._generate(d("2027-03-04"))
        revisit = self._revisits_of(service)[0]
        self.assertEqual(revisit.step_id, self.step_1)
        self.assertEqual(revisit.state, "planned")
        self.assertEqual(
            revisit.contact_issue, "The customer has no phone or mobile number on file."
        )
        activity = revisit.activity_ids
        self.assertEqual(activity.activity_type_id, self.contact_type)
        self.assertEqual(activity.date_deadline, d("2027-03-04"))
        # Closing it without a number is refused: nothing is silently skipped.
        with self.assertRaisesRegex(Exception, "still cannot be called"):
            activity.with_user(self.officer).action_feedback()
        customer.mobile = "+57 310 555 0199"
        with freeze_time("2027-03-05 14:00:00"):
            activity.with_user(self.officer).action_feedback()
        self.assertFalse(revisit.contact_issue)
        call_activity = revisit.activity_ids
        self.assertEqual(call_activity.activity_type_id, self.call_type)
        self.assertEqual(call_activity.date_deadline, d("2027-03-05"))
        self.assertEqual(revisit.date_due, d("2027-03-05"))

    def test_do_not_call_and_blacklist_are_respected(self):
        quiet = self._create_customer("Quiet", mobile="+57 310 555 0105")
        quiet.revisit_do_not_call = True
        blocked = self._create_customer("Blocked", mobile="+57 310 555 0106")
        self.env["phone.blacklist"].sudo().add("+573105550106")
        services = self._create_service(
            self._create_vehicle(quiet, "Q-1"), d("2027-03-01")
        ) | self._create_service(self._create_vehicle(blocked, "B-1"), d("2027-03-01"))
        self._generate(d("2027-03-01"))
        revisits = self.env["aftersales.revisit"].search(
            [("service_id", "in", services.ids)], order="partner_id"
        )
        self.assertEqual(
            sorted(revisits.mapped("contact_issue")),
            [
                "The customer asked not to be called.",
                "The customer's phone number is blacklisted.",
            ],
        )
        self.assertEqual(revisits.activity_ids.activity_type_id, self.contact_type)
