import threading
from datetime import timedelta

import psycopg2.errors
from freezegun import freeze_time

from odoo import api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

from .common import AftersalesRevisitCommon, d

SERVICE_MODEL = "fleet.vehicle.log.services"


@tagged("post_install", "-at_install")
class TestGenerationCron(AftersalesRevisitCommon):
    def _services(self, count, day):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Batch customer {i}",
                    "mobile": f"+57 310 555 {1000 + i}",
                    "revisit_officer_id": self.officer.id,
                }
                for i in range(count)
            ]
        )
        vehicles = self.env["fleet.vehicle"].create(
            [
                {
                    "model_id": self.model.id,
                    "license_plate": f"BT-{i}",
                    "owner_id": c.id,
                }
                for i, c in enumerate(customers)
            ]
        )
        return self.env[SERVICE_MODEL].create(
            [{"vehicle_id": v.id, "date": day, "state": "done"} for v in vehicles]
        )

    def _count(self, services):
        return self.env["aftersales.revisit"].search_count(
            [("service_id", "in", services.ids)]
        )

    def test_second_run_creates_nothing(self):
        services = self._services(5, d("2027-06-01"))
        self.assertEqual(self._generate(d("2027-06-02")), 10)
        self.assertEqual(self._generate(d("2027-06-02")), 0)
        self.assertEqual(self._count(services), 10)
        activities = self.env["mail.activity"].search_count(
            [
                ("res_model", "=", "aftersales.revisit"),
                (
                    "res_id",
                    "in",
                    self.env["aftersales.revisit"]
                    .search([("service_id", "in", services.ids)])
                    .ids,
                ),
            ]
        )
        self.assertEqual(activities, 10)

    def test_batches_report_progress_and_drain(self):
        services = self._services(7, d("2027-06-01"))
        Revisit = self.env["aftersales.revisit"]
        # 14 follow-ups due, 5 a batch: 5 + 5 + 4.
        self.assertEqual(
            Revisit._generate_due_revisits(limit=5, today=d("2027-06-02")), (5, 9)
        )
        self.assertEqual(
            Revisit._generate_due_revisits(limit=5, today=d("2027-06-02")), (5, 4)
        )
        self.assertEqual(
            Revisit._generate_due_revisits(limit=5, today=d("2027-06-02")), (4, 0)
        )
        self.assertEqual(self._count(services), 14)

    def test_cron_job_reports_progress(self):
        self._services(3, d("2027-06-01"))
        cron = self.env.ref("aftersales_revisit.ir_cron_generate_revisits")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        with freeze_time("2027-06-02 15:00:00"):
            created = (
                self.env["aftersales.revisit"]
                .with_context(ir_cron_progress_id=progress.id)
                ._cron_generate_revisits(batch_size=4)
            )
        self.assertEqual(created, 4)
        self.assertEqual((progress.done, progress.remaining), (4, 2))

    def test_unique_key_in_database(self):
        service = self._services(1, d("2027-06-01"))
        self._generate(d("2027-06-02"))
        revisit = self.env["aftersales.revisit"].search(
            [("service_id", "=", service.id)], limit=1
        )
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.cr.savepoint():
            revisit.copy({"trigger_key": revisit.trigger_key})
            self.env.flush_all()

    def test_query_count_does_not_grow_with_batch_size(self):
        """One batch costs the same number of queries for 10 or 30 follow-ups:
        candidates in one query, follow-ups and activities in one insert each."""
        self._services(2, d("2027-05-01"))
        small = self._services(5, d("2027-06-01"))
        large = self._services(15, d("2027-07-01"))
        Revisit = self.env["aftersales.revisit"]
        Revisit._generate_due_revisits(limit=500, today=d("2027-05-02"))  # warm-up
        counts = []
        for day in (d("2027-06-02"), d("2027-07-02")):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Revisit._generate_due_revisits(limit=500, today=day)
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(self._count(small), 10)
        self.assertEqual(self._count(large), 30)
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[1], 45)

    def test_cron_on_odoo_fleet_demo_data(self):
        """Odoo's own fleet demo: services created without our module, customers
        from the drivers. Only windows still open are planned."""
        log_3 = self.env.ref("fleet.log_service_3")  # vehicle_1, service date D
        demo_services = self.env[SERVICE_MODEL].search(
            [
                (
                    "id",
                    "in",
                    [self.env.ref(f"fleet.log_service_{i}").id for i in range(1, 7)],
                )
            ]
        )
        self.assertEqual(
            log_3.revisit_customer_id, self.env.ref("fleet.vehicle_1").driver_id
        )
        # Our demo data replayed last week's crons: start from a database that
        # never planned anything for these services.
        self.env["aftersales.revisit"].search(
            [("service_id", "in", demo_services.ids)]
        ).unlink()
        day = log_3.date
        # Day 10 after log_service_3: its call 1 window (days 3-7) has closed,
        # call 2 (days 8-14) is open. The other demo services are 15 to 105 days
        # older: all their windows have closed.
        today = day + timedelta(days=10)
        self.env["aftersales.revisit"]._generate_due_revisits(limit=500, today=today)
        revisits = self.env["aftersales.revisit"].search(
            [("service_id", "in", demo_services.ids)]
        )
        self.assertEqual(len(revisits), 1)
        self.assertEqual(revisits.service_id, log_3)
        self.assertEqual(revisits.step_id, self.step_2)
        self.assertEqual(revisits.partner_id, self.env.ref("base.partner_demo"))
        self.assertEqual(revisits.date_due, today)
        self.assertEqual(revisits.date_deadline, day + timedelta(days=14))
        self.assertEqual(revisits.trigger_date, day)
        # Day 3 after log_service_3 instead: call 1 due today, call 2 planned
        # ahead for day 8; log_service_2 (15 days older, day 18) has nothing.
        self.env["aftersales.revisit"]._generate_due_revisits(
            limit=500, today=day + timedelta(days=3)
        )
        revisits = self.env["aftersales.revisit"].search(
            [("service_id", "in", demo_services.ids)], order="date_due"
        )
        self.assertEqual(
            [(r.step_id, r.date_due) for r in revisits],
            [
                (self.step_1, day + timedelta(days=3)),
                (self.step_2, day + timedelta(days=10)),
            ],
        )


@tagged("post_install", "-at_install")
class TestConcurrentGeneration(BaseCase):
    """Two cron workers at once, each on its own database connection."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            customer = env["res.partner"].create(
                {"name": "Concurrent customer", "mobile": "+57 310 555 7777"}
            )
            model = env.ref("fleet.model_corolla_ts")
            vehicle = env["fleet.vehicle"].create(
                {"model_id": model.id, "license_plate": "CC-1", "owner_id": customer.id}
            )
            service = env[SERVICE_MODEL].create(
                {"vehicle_id": vehicle.id, "date": d("2031-05-05"), "state": "done"}
            )
            self.ids = (customer.id, vehicle.id, service.id)
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        customer_id, vehicle_id, service_id = self.ids
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            revisits = env["aftersales.revisit"].search(
                [("service_id", "=", service_id)]
            )
            revisits.unlink()
            env[SERVICE_MODEL].browse(service_id).unlink()
            env["fleet.vehicle"].browse(vehicle_id).unlink()
            env["res.partner"].browse(customer_id).unlink()

    def test_two_workers_at_once_create_once(self):
        service_id = self.ids[2]
        today = d("2031-05-06")
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a = api.Environment(cr_a, api.SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, api.SUPERUSER_ID, {})
            # Both transactions start before either has planned anything.
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")
            created_a, _ = env_a["aftersales.revisit"]._generate_due_revisits(
                today=today
            )
            cr_a.commit()
            created_b, _ = env_b["aftersales.revisit"]._generate_due_revisits(
                today=today
            )
            cr_b.commit()
        self.assertEqual((created_a, created_b), (2, 0))
        self.assertPlannedOnce(service_id)

    def test_second_worker_waits_for_the_first_then_creates_nothing(self):
        """B starts while A's follow-ups are written but not committed: B waits
        on the unique key, then sees A won and gives up its batch."""
        service_id = self.ids[2]
        today = d("2031-05-06")
        results = {}

        def worker_b():
            with self.registry.cursor() as cr_b:
                env_b = api.Environment(cr_b, api.SUPERUSER_ID, {})
                results["b"] = env_b["aftersales.revisit"]._generate_due_revisits(
                    today=today
                )[0]

        with self.registry.cursor() as cr_a:
            env_a = api.Environment(cr_a, api.SUPERUSER_ID, {})
            results["a"] = env_a["aftersales.revisit"]._generate_due_revisits(
                today=today
            )[0]
            thread_b = threading.Thread(target=worker_b)
            thread_b.start()
            thread_b.join(timeout=3)
            self.assertTrue(thread_b.is_alive(), "B should wait for A's commit")
            cr_a.commit()
        thread_b.join(timeout=60)
        self.assertFalse(thread_b.is_alive())
        self.assertEqual((results["a"], results["b"]), (2, 0))
        self.assertPlannedOnce(service_id)

    def assertPlannedOnce(self, service_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COUNT(*), COUNT(DISTINCT a.id) FROM aftersales_revisit r "
                "JOIN mail_activity a ON a.res_model = 'aftersales.revisit' "
                "AND a.res_id = r.id WHERE r.service_id = %s",
                [service_id],
            )
            self.assertEqual(cr.fetchone(), (2, 2))
