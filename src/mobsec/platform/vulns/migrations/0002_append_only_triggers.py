"""On PostgreSQL, the intake log and the case audit trail refuse UPDATE and DELETE in the
database itself (article 5: receipt logs kept; nobody edits the trail), whatever code or
SQL console tries. Row triggers do not fire on TRUNCATE, which only the test database's
flush uses. SQLite (local mode) relies on the model guards: its flush deletes rows, so a
trigger there would break resetting a test database."""

from django.db import migrations

TABLES = ("vulns_intakelogentry", "vulns_transition")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION mobsec_vulns_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'mobsec: % is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute(PG_FUNCTION)
        for t in TABLES:
            c.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION mobsec_vulns_append_only()"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        for t in TABLES:
            c.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")


class Migration(migrations.Migration):
    dependencies = [("vulns", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
