"""Make audit_auditevent append-only in the database itself.

The names are spelled out here rather than imported: a migration records what
was done at the time. models.APPEND_ONLY_TRIGGER must stay equal to the name below.

No TRUNCATE trigger: Django's ``flush`` (which pytest-django runs after every
transactional test, for every app) empties all tables with a single
``TRUNCATE a, b, ...``; a BEFORE TRUNCATE trigger here made that statement, and so
every transactional test in the project, fail (tried and seen). In production,
TRUNCATE is kept away by privileges instead: the application's role should not own
the table (REVOKE TRUNCATE), and a wiped table is conspicuous.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% on %)', TG_OP, TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_reject_change();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, REVERSE)]
