"""Activity types of the addon and the guard around their closing.

Activities of planned follow-ups and open complaints are closed or removed only
through their business records (logging the call, recording the solution...).
Server code that does so on purpose marks its environment with `internal()`:
the marker is an object, which no client can send in a JSON context.
"""

CALL_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_call"
CONTACT_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_contact"
ESCALATION_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_escalation"
INFORM_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_inform"
FILE_TYPE_XMLID = "aftersales_revisit.mail_activity_type_revisit_file"

_MARKER = object()


def internal(records):
    """`records` allowed to close or remove guarded activities."""
    return records.with_context(aftersales_revisit_internal=_MARKER)


def is_internal(env):
    return env.context.get("aftersales_revisit_internal") is _MARKER


def claim(records):
    """The part of `records` this transaction could lock: rows another cron
    worker is processing are skipped, not waited for."""
    if not records:
        return records
    records.env.cr.execute(
        f"SELECT id FROM {records._table} WHERE id IN %s "  # noqa: S608
        "FOR NO KEY UPDATE SKIP LOCKED",
        [tuple(records.ids)],
    )
    return records.browse(row[0] for row in records.env.cr.fetchall())
