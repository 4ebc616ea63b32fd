from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OFFICER_GROUPS, AftersalesRevisitCommon


@tagged("post_install", "-at_install")
class TestAccess(AftersalesRevisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revisit = cls._plan_monday_service()[0]
        cls.other_company = cls.env["res.company"].create({"name": "Other Dealer"})
        cls.other_officer = new_test_user(
            cls.env,
            "as_other_officer",
            groups=OFFICER_GROUPS,
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other customer", "company_id": cls.other_company.id}
        )
        cls.other_call = cls.env["aftersales.call"].create(
            {
                "partner_id": cls.other_customer.id,
                "phone": "+57 310 555 0900",
                "company_id": cls.other_company.id,
                "user_id": cls.other_officer.id,
                "direction": "inbound",
                "call_type": "consultation",
            }
        )

    def test_officer_works_follow_ups_but_not_plans(self):
        revisit = self.revisit.with_user(self.officer)
        self.assertEqual(revisit.partner_id.name, "Camila Customer")
        self.assertEqual(revisit.vehicle_id.license_plate, "ABC-123")
        self.assertEqual(revisit.service_id.revisit_items, "Oil change")
        revisit.note = "<p>Ask about the trip</p>"
        with self.assertRaises(AccessError):
            revisit.unlink()
        with self.assertRaises(AccessError):
            self.plan.with_user(self.officer).name = "Mine"
        with self.assertRaises(AccessError):
            self.step_1.with_user(self.officer).offset_days = 1
        self.assertEqual(self.plan.with_user(self.officer).step_count, 2)

    def test_manager_owns_plans_and_may_cancel(self):
        self.plan.with_user(self.manager).horizon_days = 3
        self.assertEqual(self.plan.horizon_days, 3)
        self.revisit.with_user(self.manager).action_cancel()
        self.assertEqual(self.revisit.state, "cancelled")
        self.assertFalse(self.revisit.activity_ids)
        self.revisit.with_user(self.manager).action_reset_planned()
        self.assertEqual(self.revisit.state, "planned")
        self.assertEqual(len(self.revisit.activity_ids), 1)

    def test_calls_are_never_deleted(self):
        call = (
            self.env["aftersales.call"]
            .with_user(self.officer)
            .create({"partner_id": self.customer.id, "phone": "+57 310 555 0101"})
        )
        for user in (self.officer, self.manager):
            with self.assertRaises(AccessError):
                call.with_user(user).unlink()
        call.with_user(self.manager).action_archive()
        self.assertFalse(call.active)

    def test_other_company_data_is_invisible(self):
        Call = self.env["aftersales.call"].with_user(self.officer)
        self.assertFalse(Call.search([("id", "=", self.other_call.id)]))
        with self.assertRaises(AccessError):
            self.other_call.with_user(self.officer).read(["phone"])
        Revisit = self.env["aftersales.revisit"].with_user(self.other_officer)
        self.assertFalse(Revisit.search([("id", "=", self.revisit.id)]))
        with self.assertRaises(AccessError):
            self.revisit.with_user(self.other_officer).read(["summary"])
        self.assertEqual(
            self.env["aftersales.call"]
            .with_user(self.other_officer)
            .search([("id", "=", self.other_call.id)]),
            self.other_call,
        )

    def test_user_without_group_sees_nothing(self):
        employee = new_test_user(self.env, "as_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.revisit.with_user(employee).read(["summary"])
