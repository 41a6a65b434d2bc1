"""Make the access log append-only in the database itself.

The model already refuses updates and deletes; these triggers refuse them for raw SQL
by the application's own database role too (Lag 2001:454 10 §: access must be
documented and checkable, so the documentation must not be alterable afterwards).
TRUNCATE is not blocked: the test runner empties tables with it; production grants
should deny TRUNCATE to the application role (see docs/adr/0002-append-only-access-log.md).
"""

from django.db import migrations

TABLE = "cases_accesslog"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION vagen_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Tabellen % är endast för tillägg: % är inte tillåtet', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION vagen_refuse_change();
"""
POSTGRES_BACKWARD = f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'Tabellen {TABLE} är endast för tillägg'); END;""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'Tabellen {TABLE} är endast för tillägg'); END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
