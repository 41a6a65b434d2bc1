"""A signed plan is frozen in the database itself, not only in the services.

Once a version is signed (or superseded by a later signed version), its text, its
activities and its signatures cannot be changed – by the application's own SQL either;
changing a plan means a revision, a new version (Eslöv, sources/000: the plan is an
agreement signed by both parties). Deleting is not blocked: records are removed by
gallring, under its own rules.
"""

from django.db import migrations

FROZEN = "('signed', 'superseded')"
VERSION_COLUMNS = (
    "plan_id",
    "number",
    "goal",
    "next_step",
    "client_view",
    "family_situation",
    "children_perspective",
    "revision_reason",
    "signed_at",
)
ACTIVITY_COLUMNS = (
    "version_id",
    "position",
    "what",
    "responsible",
    "responsible_note",
    "starts_on",
    "ends_on",
    "follow_up_on",
    "status",
    "referral_id",
)
SIGNATURE_COLUMNS = (
    "version_id",
    "party",
    "person_id",
    "staff_id",
    "method",
    "signed_on",
    "content_digest",
    "scanned_copy",
    "evidence_reference",
    "evidence",
    "voided_at",
)
MESSAGE = "En undertecknad plan kan inte ändras – revidera planen i stället"


def _changed(columns, distinct="IS DISTINCT FROM") -> str:
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns)


def _postgres_child(table: str, columns) -> str:
    """Activities and signatures: no new rows in a frozen version, no changes to its rows."""
    return f"""
CREATE OR REPLACE FUNCTION {table}_refuse_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF ({_changed(columns)}) AND EXISTS (
            SELECT 1 FROM workplans_planversion WHERE id = OLD.version_id AND status IN {FROZEN}
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM workplans_planversion WHERE id = NEW.version_id AND status IN {FROZEN}
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_frozen();
"""  # noqa: S608 – table and column names are constants of this migration


POSTGRES_FORWARD = (
    f"""
CREATE OR REPLACE FUNCTION workplans_planversion_refuse_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN {FROZEN} AND (NEW.status NOT IN {FROZEN} OR {_changed(VERSION_COLUMNS)}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workplans_planversion_frozen BEFORE UPDATE ON workplans_planversion
    FOR EACH ROW EXECUTE FUNCTION workplans_planversion_refuse_frozen();
"""
    + _postgres_child("workplans_activity", ACTIVITY_COLUMNS)
    + _postgres_child("workplans_signature", SIGNATURE_COLUMNS)
)
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS workplans_planversion_frozen ON workplans_planversion;
DROP TRIGGER IF EXISTS workplans_activity_frozen ON workplans_activity;
DROP TRIGGER IF EXISTS workplans_signature_frozen ON workplans_signature;
DROP FUNCTION IF EXISTS workplans_planversion_refuse_frozen();
DROP FUNCTION IF EXISTS workplans_activity_refuse_frozen();
DROP FUNCTION IF EXISTS workplans_signature_refuse_frozen();
"""


def _sqlite_frozen(table_alias: str, key: str) -> str:
    # Constants of this migration only, no user input.
    return f"(SELECT status FROM workplans_planversion WHERE id = {table_alias}.{key}) IN {FROZEN}"  # noqa: S608


SQLITE_FORWARD = [
    f"""CREATE TRIGGER workplans_planversion_frozen BEFORE UPDATE ON workplans_planversion
        WHEN OLD.status IN {FROZEN} AND (NEW.status NOT IN {FROZEN} OR {_changed(VERSION_COLUMNS, "IS NOT")})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER workplans_activity_frozen_insert BEFORE INSERT ON workplans_activity
        WHEN {_sqlite_frozen("NEW", "version_id")}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER workplans_activity_frozen_update BEFORE UPDATE ON workplans_activity
        WHEN {_sqlite_frozen("OLD", "version_id")} AND ({_changed(ACTIVITY_COLUMNS, "IS NOT")})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER workplans_signature_frozen_insert BEFORE INSERT ON workplans_signature
        WHEN {_sqlite_frozen("NEW", "version_id")}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER workplans_signature_frozen_update BEFORE UPDATE ON workplans_signature
        WHEN {_sqlite_frozen("OLD", "version_id")} AND ({_changed(SIGNATURE_COLUMNS, "IS NOT")})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "workplans_planversion_frozen",
        "workplans_activity_frozen_insert",
        "workplans_activity_frozen_update",
        "workplans_signature_frozen_insert",
        "workplans_signature_frozen_update",
    )
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("workplans", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
