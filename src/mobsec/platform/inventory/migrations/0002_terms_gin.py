"""GIN index on the search terms (PostgreSQL only: jsonb_path_ops answers ``@>`` from the
index). SQLite, the development database, has no such index and scans the rows."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS inventory_terms_gin ON inventory_versioninventory "
            "USING gin (terms jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS inventory_terms_gin")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
