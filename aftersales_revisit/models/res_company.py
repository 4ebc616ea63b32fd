from datetime import datetime, time, timedelta

import pytz

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    revisit_manager_id = fields.Many2one(
        "res.users",
        string="Follow-up Manager",
        domain=lambda self: [
            ("share", "=", False),
            (
                "groups_id",
                "in",
                self.env.ref("aftersales_revisit.aftersales_revisit_group_manager").ids,
            ),
        ],
        help="Receives escalated complaints and the follow-ups of customers whose "
        "designated officer is missing or archived.",
    )

    def _revisit_tz(self):
        """Timezone in which follow-up dates of this company are computed."""
        self.ensure_one()
        return pytz.timezone(
            self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        )

    def _revisit_today(self):
        """Today's date in the company's timezone."""
        return datetime.now(self._revisit_tz()).date()

    def _revisit_local_datetime(self, utc_dt):
        """Naive local datetime, in the company's timezone, of a naive UTC one."""
        local = pytz.utc.localize(utc_dt).astimezone(self._revisit_tz())
        return local.replace(tzinfo=None)

    def _revisit_local_date(self, utc_dt):
        """Local date, in the company's timezone, of a naive UTC datetime."""
        return self._revisit_local_datetime(utc_dt).date()

    def _revisit_to_utc(self, day, at=time.min):
        """Naive UTC datetime of a local date and time of the company."""
        local = self._revisit_tz().localize(datetime.combine(day, at))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _revisit_add_working_days(self, day, count):
        """The `count`-th working day after `day` on the company's calendar.

        Weekends and the calendar's public holidays (global leaves) are skipped.
        """
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return day + timedelta(days=count)
        horizon = day + timedelta(days=count * 3 + 14)
        tz = pytz.timezone(calendar.tz or "UTC")
        unusual = calendar._get_unusual_days(
            tz.localize(datetime.combine(day + timedelta(days=1), time.min)),
            tz.localize(datetime.combine(horizon, time.max)),
            self,
        )
        current = day
        while count:
            current += timedelta(days=1)
            if current > horizon or not unusual.get(fields.Date.to_string(current)):
                count -= 1
        return current

    def _revisit_manager(self):
        """The follow-up manager of the company: the configured one, or else the
        first active member of the manager group working for it."""
        self.ensure_one()
        if self.revisit_manager_id._revisit_can_follow_up(self):
            return self.revisit_manager_id
        group = self.env.ref("aftersales_revisit.aftersales_revisit_group_manager")
        managers = group.users.filtered(lambda u: u._revisit_can_follow_up(self))
        managers = managers.sorted("id")
        return managers[:1] or self.env.ref("base.user_admin")
