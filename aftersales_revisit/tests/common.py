from datetime import date, datetime, time

import pytz

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# A timezone without daylight saving time, west of UTC: 23:30 local is already
# the next day in UTC, so a date computed in UTC instead of local time is caught.
TZ = "America/Bogota"
OFFICER_GROUPS = "base.group_user,aftersales_revisit.aftersales_revisit_group_user"
MANAGER_GROUPS = "base.group_user,aftersales_revisit.aftersales_revisit_group_manager"


class AftersalesRevisitCommon(TransactionCase):
    """A dealership in Bogotá: two officers, a manager, a customer and a car.

    Dates in tests are in 2027-2028, far from the demo data's dates, so the
    demo service records are history whose follow-up windows have closed.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = TZ
        cls.company.country_id = cls.env.ref("base.co")
        cls.manager = new_test_user(
            cls.env, "as_manager", groups=MANAGER_GROUPS, name="Marta Manager"
        )
        cls.company.revisit_manager_id = cls.manager
        cls.officer = new_test_user(
            cls.env, "as_officer", groups=OFFICER_GROUPS, name="Oscar Officer"
        )
        cls.officer_2 = new_test_user(
            cls.env, "as_officer_2", groups=OFFICER_GROUPS, name="Olga Officer"
        )
        cls.plan = cls.env.ref("aftersales_revisit.revisit_plan_after_service")
        cls.step_1 = cls.env.ref("aftersales_revisit.revisit_plan_after_service_call_1")
        cls.step_2 = cls.env.ref("aftersales_revisit.revisit_plan_after_service_call_2")
        cls.call_type = cls.env.ref(
            "aftersales_revisit.mail_activity_type_revisit_call"
        )
        cls.contact_type = cls.env.ref(
            "aftersales_revisit.mail_activity_type_revisit_contact"
        )
        cls.customer = cls._create_customer(
            "Camila Customer", mobile="+57 310 555 0101"
        )
        cls.model = cls.env["fleet.vehicle.model"].create(
            {
                "name": "Duster",
                "brand_id": cls.env["fleet.vehicle.model.brand"]
                .create({"name": "Renault Test"})
                .id,
                "revisit_interval_months": 6,
                "revisit_interval_km": 10000,
            }
        )
        cls.vehicle = cls._create_vehicle(cls.customer, "ABC-123")

    @classmethod
    def _create_customer(cls, name, officer=None, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "revisit_officer_id": (officer or cls.officer).id,
                "street": "Carrera 7 # 71-21",
                "city": "Bogotá",
                "country_id": cls.env.ref("base.co").id,
                "revisit_expected_services": "Express maintenance",
                **values,
            }
        )

    @classmethod
    def _create_vehicle(cls, customer, plate):
        return cls.env["fleet.vehicle"].create(
            {"model_id": cls.model.id, "license_plate": plate, "owner_id": customer.id}
        )

    @classmethod
    def _create_service(cls, vehicle, day, handover=None, **values):
        """A done service; `handover` is a local (Bogotá) naive datetime."""
        vals = {
            "vehicle_id": vehicle.id,
            "date": day,
            "state": "done",
            "amount": 500.0,
            "revisit_items": "Oil change",
            **values,
        }
        if handover:
            vals["revisit_handover"] = cls._utc(handover)
        return cls.env["fleet.vehicle.log.services"].create(vals)

    @staticmethod
    def _utc(local_dt):
        """Naive UTC datetime of a naive Bogotá datetime."""
        local = pytz.timezone(TZ).localize(local_dt)
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @classmethod
    def _utc_at(cls, day, hour, minute=0):
        return cls._utc(datetime.combine(day, time(hour, minute)))

    @classmethod
    def _plan_monday_service(cls):
        """A service on Monday 1 March 2027, planned on Thursday 4 March: call 1
        due 4 March (deadline 8 March), call 2 due 9 March (deadline 15 March)."""
        cls.service = cls._create_service(cls.vehicle, d("2027-03-01"))
        cls.env["aftersales.revisit"]._generate_due_revisits(today=d("2027-03-04"))
        return cls.env["aftersales.revisit"].search(
            [("service_id", "=", cls.service.id)], order="date_due"
        )

    def _generate(self, today):
        """Run the generator to the end for a given local day."""
        Revisit = self.env["aftersales.revisit"]
        total = 0
        while True:
            created, remaining = Revisit._generate_due_revisits(limit=500, today=today)
            total += created
            if not remaining:
                return total

    def _revisits_of(self, service):
        return self.env["aftersales.revisit"].search(
            [("service_id", "=", service.id)], order="date_due, id"
        )

    def _log_call(self, revisit, user=None, **values):
        """Log a call from the follow-up's own action, as an officer would."""
        user = user or revisit.user_id
        action = revisit.with_user(user).action_log_call()
        vals = {
            key.removeprefix("default_"): value
            for key, value in action["context"].items()
            if key.startswith("default_")
        }
        vals.update(values)
        return self.env["aftersales.call"].with_user(user).create(vals)


def d(text):
    """Shorthand for a date literal."""
    return date.fromisoformat(text)
