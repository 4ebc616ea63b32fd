from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import AftersalesRevisitCommon, d


@tagged("post_install", "-at_install")
class TestCustomerFile(AftersalesRevisitCommon):
    def test_visits_spend_first_last_loyal_lost(self):
        with freeze_time("2027-06-15 15:00:00"):
            self._create_service(self.vehicle, d("2026-01-10"), amount=300.0)
            self._create_service(self.vehicle, d("2026-09-01"), amount=450.5)
            second_car = self._create_vehicle(self.customer, "SEC-2")
            self._create_service(second_car, d("2027-05-20"), amount=1200.0)
            self._create_service(
                second_car, d("2027-06-01"), amount=999.0, state="cancelled"
            )
            self.customer.invalidate_recordset()
            self.assertEqual(self.customer.revisit_visit_count, 3)
            self.assertEqual(self.customer.revisit_total_spend, 1950.5)
            self.assertEqual(self.customer.revisit_first_visit, d("2026-01-10"))
            self.assertEqual(self.customer.revisit_last_visit, d("2027-05-20"))
            self.assertTrue(self.customer.revisit_is_loyal)
            self.assertFalse(self.customer.revisit_is_lost)
        # A year and a day without a visit: lost, hence no longer loyal.
        with freeze_time("2028-05-21 15:00:00"):
            self.customer.invalidate_recordset()
            self.assertTrue(self.customer.revisit_is_lost)
            self.assertFalse(self.customer.revisit_is_loyal)

    def test_next_maintenance_by_months(self):
        self._create_service(self.vehicle, d("2027-08-31"))
        # 31 August + 6 months = 29 February 2028 (leap year, month end).
        self.assertEqual(self.vehicle.revisit_last_service_date, d("2027-08-31"))
        self.assertEqual(self.vehicle.revisit_next_maintenance_date, d("2028-02-29"))

    def test_next_maintenance_by_km_when_earlier(self):
        Odometer = self.env["fleet.vehicle.odometer"]
        Odometer.create(
            {"vehicle_id": self.vehicle.id, "date": d("2027-01-01"), "value": 20000}
        )
        self._create_service(self.vehicle, d("2027-03-02"), odometer=23000)
        Odometer.create(
            {"vehicle_id": self.vehicle.id, "date": d("2027-04-11"), "value": 28000}
        )
        # 8,000 km in 100 days = 80 km/day. Due at 23,000 + 10,000 = 33,000 km:
        # 5,000 km after 11 April = 62.5 days -> 62 days -> 12 June 2027, before
        # 2 September 2027 (6 months).
        self.assertEqual(self.vehicle.revisit_next_maintenance_odometer, 33000)
        self.assertEqual(self.vehicle.revisit_next_maintenance_date, d("2027-06-12"))

    def test_intervals_default_from_model_and_override(self):
        self.assertEqual(self.vehicle.revisit_interval_months, 6)
        self.assertEqual(self.vehicle.revisit_interval_km, 10000)
        self.vehicle.revisit_interval_months = 12
        self._create_service(self.vehicle, d("2027-01-15"))
        self.assertEqual(self.vehicle.revisit_next_maintenance_date, d("2028-01-15"))

    def test_insurance_expiry_from_contracts(self):
        insurance = self.env.ref("aftersales_revisit.service_type_insurance")
        leasing = self.env.ref("fleet.type_contract_leasing")
        Contract = self.env["fleet.vehicle.log.contract"]
        Contract.create(
            {
                "vehicle_id": self.vehicle.id,
                "cost_subtype_id": insurance.id,
                "start_date": d("2026-07-01"),
                "expiration_date": d("2027-06-30"),
            }
        )
        Contract.create(
            {
                "vehicle_id": self.vehicle.id,
                "cost_subtype_id": leasing.id,
                "start_date": d("2026-07-01"),
                "expiration_date": d("2029-06-30"),
            }
        )
        self.assertEqual(self.vehicle.revisit_insurance_expiry, d("2027-06-30"))

    def test_rework_within_30_days(self):
        self._create_service(self.vehicle, d("2027-03-01"))
        within = self._create_service(
            self.vehicle, d("2027-03-31"), revisit_category="repair"
        )
        later = self._create_service(
            self._create_vehicle(self.customer, "RW-2"),
            d("2027-03-31"),
            revisit_category="repair",
        )
        after = self._create_service(
            self.vehicle, d("2027-05-15"), revisit_category="repair"
        )
        self.assertEqual(
            (
                within.revisit_is_rework,
                later.revisit_is_rework,
                after.revisit_is_rework,
            ),
            (True, False, False),
        )

    def test_rework_flag_in_the_service_form(self):
        """A repair entered the same day as an earlier service is a rework,
        before it is even saved."""
        self._create_service(self.vehicle, d("2027-03-10"))
        with Form(self.env["fleet.vehicle.log.services"]) as form:
            form.vehicle_id = self.vehicle
            form.date = d("2027-03-10")
            form.revisit_category = "repair"
            self.assertTrue(form.revisit_is_rework)
            form.date = d("2027-04-10")
            self.assertFalse(form.revisit_is_rework)
            form.date = d("2027-03-10")

    def test_two_day_rule_reports_incomplete_file_once(self):
        customer = self._create_customer("Incomplete", mobile="+57 310 555 0150")
        customer.write(
            {"street": False, "city": False, "revisit_expected_services": False}
        )
        vehicle = self._create_vehicle(customer, "INC-1")
        vehicle.license_plate = False
        service = self._create_service(
            vehicle,
            d("2027-03-01"),
            handover=datetime(2027, 3, 1, 17, 0),
            revisit_items=False,
        )
        complete = self._create_service(
            self.vehicle, d("2027-03-01"), handover=datetime(2027, 3, 1, 17, 0)
        )
        file_type = self.env.ref("aftersales_revisit.mail_activity_type_revisit_file")
        Service = self.env["fleet.vehicle.log.services"]
        # 1 day 23 hours after the handover: not yet.
        with freeze_time(self._utc(datetime(2027, 3, 3, 16, 0))):
            Service._cron_check_customer_files()
        self.assertFalse(service.activity_ids)
        with freeze_time(self._utc(datetime(2027, 3, 3, 17, 30))):
            Service._cron_check_customer_files()
            Service._cron_check_customer_files()
        activity = service.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, file_type)
        self.assertEqual(activity.user_id, self.officer)
        self.assertEqual(activity.date_deadline, d("2027-03-03"))
        # The next maintenance is known from this very service; the rest is not.
        self.assertIn(
            "Missing: address, expected services, plate number, repair and "
            "maintenance items.",
            activity.note,
        )
        self.assertTrue(complete.revisit_file_alerted)
        self.assertFalse(complete.activity_ids)

    def test_two_day_rule_for_consultations(self):
        customer = self._create_customer("Walk-in", mobile="+57 310 555 0151")
        customer.revisit_expected_services = False
        with freeze_time(self._utc(datetime(2027, 3, 1, 10, 0))):
            call = self.env["aftersales.call"].create(
                {
                    "partner_id": customer.id,
                    "phone": customer.mobile,
                    "direction": "inbound",
                    "call_type": "consultation",
                    "key_points": "Asks about the 60,000 km service price",
                }
            )
        with freeze_time(self._utc(datetime(2027, 3, 3, 10, 1))):
            self.env["aftersales.call"]._cron_check_customer_files()
        self.assertIn("expected services", call.activity_ids.note)
        self.assertEqual(call.activity_ids.date_deadline, d("2027-03-03"))
