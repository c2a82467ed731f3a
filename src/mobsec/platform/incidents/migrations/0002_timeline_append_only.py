"""On PostgreSQL the incident timeline refuses UPDATE and DELETE in the database itself,
with the vulns app's trigger function (its migration 0002); SQLite relies on the model
guards (see that migration for why)."""

from django.db import migrations

TABLE = "incidents_event"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION mobsec_vulns_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("vulns", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
