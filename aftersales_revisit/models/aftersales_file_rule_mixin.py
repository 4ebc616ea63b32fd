from markupsafe import Markup

from odoo import api, fields, models

from .activity_guard import FILE_TYPE_XMLID, claim

FILE_COMPLETE_WITHIN_DAYS = 2


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
        records = claim(self.search(domain, limit=batch_size))
        records.revisit_file_alerted = True
        records._schedule_file_activities()
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

    def _schedule_file_activities(self):
        """One activity per incomplete file, created in one batch, no e-mail."""
        res_model_id = self.env["ir.model"]._get_id(self._name)
        activity_type = self.env.ref(FILE_TYPE_XMLID)
        vals_list = []
        for record in self:
            officer = record._revisit_file_officer()
            record = record.with_context(lang=officer.lang or self.env.lang)
            missing = record._revisit_missing_file_fields()
            if missing:
                vals_list.append(
                    {
                        "res_model_id": res_model_id,
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "summary": record.env._("Complete the customer file"),
                        "note": Markup("<p>%s</p>")
                        % record._revisit_file_message(missing),
                        "date_deadline": record.company_id._revisit_today(),
                        "user_id": officer.id,
                        "automated": True,
                    }
                )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            vals_list
        )
