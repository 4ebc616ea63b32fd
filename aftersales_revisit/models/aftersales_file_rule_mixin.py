from markupsafe import Markup

from odoo import api, fields, models

FILE_COMPLETE_WITHIN_DAYS = 2
FILE_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_file"


class AftersalesFileRuleMixin(models.AbstractModel):
    """The 2-day rule: the customer file must be complete two days after a
    handover or a consultation, or the officer gets an activity."""

    _name = "aftersales.file.rule.mixin"
    _description = "Customer File 2-Day Rule"

    revisit_file_alerted = fields.Boolean(
        string="File Checked", copy=False, readonly=True
    )

    @api.model
    def _cron_check_customer_files(self, batch_size=500):
        domain = self._get_file_check_domain()
        records = self.search(domain, limit=batch_size)
        records._claim_file_check()
        for record in records:
            missing = record._revisit_missing_file_fields()
            if missing:
                record._schedule_file_activity(missing)
        remaining = self.search_count(domain) if len(records) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(records), remaining=remaining)
        return len(records)

    def _get_file_check_domain(self):
        """Hook: records whose 2-day delay has passed and not yet checked."""
        raise NotImplementedError

    def _revisit_missing_file_fields(self):
        """Hook: labels of the customer-file fields still empty."""
        raise NotImplementedError

    def _revisit_file_officer(self):
        """Hook: who must complete the file."""
        raise NotImplementedError

    def _revisit_file_message(self, missing):
        """Hook: the activity's note, naming the missing fields."""
        raise NotImplementedError

    def _claim_file_check(self):
        # Flag the rows before creating activities: a concurrent run blocks on
        # them and then fails its serialisation instead of reporting twice.
        if self:
            self.env.cr.execute(
                f"UPDATE {self._table} SET revisit_file_alerted = TRUE "  # noqa: S608
                "WHERE id IN %s",
                [tuple(self.ids)],
            )
            self.invalidate_recordset(["revisit_file_alerted"])

    def _schedule_file_activity(self, missing):
        self.ensure_one()
        self.activity_schedule(
            FILE_TYPE_XMLID,
            date_deadline=self.company_id._revisit_today(),
            summary=self.env._("Complete the customer file"),
            note=Markup("<p>%s</p>") % self._revisit_file_message(missing),
            user_id=self._revisit_file_officer().id,
        )
