"""Removing generated benchmark data – and nothing else.

The rows to remove are found by following foreign keys from the benchmark units
(``UNIT_CODE_PREFIX``): every row that points at a benchmark unit, every row that
points at such a row, and so on through all installed apps (so plans, referrals and
reviews made in benchmark cases go too), plus the persons who are members of benchmark
households. Units and staff stay: the access log is append-only and refers to them,
and the generator reuses them.

The access log itself is only emptied when every row in it was written by benchmark
staff (TRUNCATE, which the append-only triggers allow, see docs/adr/0002); otherwise
its rows stay, as the log requires.

All in one transaction: Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so
if any other row still refers to a removed one, the commit fails and nothing is removed.
"""

from django.apps import apps
from django.db import connection, models, transaction

from benchdata import UNIT_CODE_PREFIX
from cases.models import AccessLog, HouseholdMember, Person, Unit, User

KEPT = (Unit, User, AccessLog)


def _edges() -> list[tuple[type[models.Model], str, type[models.Model]]]:
    """(child model, foreign-key column, parent model) for every concrete foreign key of
    a table that exists (a model whose migration has not run yet holds no rows)."""
    tables = set(connection.introspection.table_names())
    edges = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model in KEPT:
            continue
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                edges.append((model, field.column, field.related_model._meta.concrete_model))
    return edges


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def reset() -> dict[str, int]:
    """Delete the generated data; returns rows deleted per model label."""
    units = list(
        Unit.objects.filter(code__startswith=UNIT_CODE_PREFIX).values_list("pk", flat=True)
    )
    if not units:
        return {}
    deleted: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Check now what this transaction wrote before (a test that generated data):
        # TRUNCATE refuses tables with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        owned = _collect(cursor, units)
        whole, tables = _wholly_owned(cursor, owned)
        if tables:
            # Every row of these tables is benchmark data: TRUNCATE instead of deleting
            # millions of rows one foreign-key check at a time.
            cursor.execute(f"TRUNCATE {', '.join(map(_q, tables))}")
            deleted.update({model._meta.label: count for model, count in whole.items()})
        for model, table in owned.items():
            if model in whole:
                continue
            pk = model._meta.pk.column
            cursor.execute(
                f"DELETE FROM {_q(model._meta.db_table)} WHERE {_q(pk)} IN (SELECT id FROM {table})"  # noqa: S608 – names from model meta
            )
            if cursor.rowcount:
                deleted[model._meta.label] = cursor.rowcount
        # ON COMMIT DROP would do, but a caller's transaction may go on (tests).
        cursor.execute(f"DROP TABLE {', '.join(owned.values())}")
        if _access_log_is_all_bench(cursor, units):
            cursor.execute(f"SELECT count(*) FROM {_q(AccessLog._meta.db_table)}")  # noqa: S608
            deleted[AccessLog._meta.label] = cursor.fetchone()[0]
            cursor.execute(f"TRUNCATE {_q(AccessLog._meta.db_table)}")
    return deleted


def _collect(cursor, units: list[int]) -> dict[type[models.Model], str]:
    """Semi-naive closure over the foreign keys: each round follows only the edges whose
    parent gained rows in the round before, joining only those new rows."""
    edges = _edges()
    owned: dict[type[models.Model], str] = {}

    def table_for(model) -> str:
        if model not in owned:
            name = f"bench_reset_{len(owned)}"
            cursor.execute(
                f"CREATE TEMP TABLE {name} (id bigint PRIMARY KEY, round int) ON COMMIT DROP"
            )
            owned[model] = name
        return owned[model]

    def add(model, select_sql: str, params, round_: int) -> int:
        target = table_for(model)
        cursor.execute(
            f"INSERT INTO {target} (id, round) SELECT x, %s FROM ({select_sql}) AS s(x) "  # noqa: S608
            "WHERE x IS NOT NULL ON CONFLICT DO NOTHING",
            [round_, *params],
        )
        return cursor.rowcount

    grew = {Unit}
    round_ = 0
    unit_sql = "SELECT unnest(%s::bigint[])"
    while grew:
        round_ += 1
        new: set = set()
        for child, column, parent in edges:
            if parent not in grew:
                continue
            pk = _q(child._meta.pk.column)
            table = _q(child._meta.db_table)
            if parent is Unit:
                sql = f"SELECT {pk} FROM {table} WHERE {_q(column)} IN ({unit_sql})"  # noqa: S608
                params = [units]
            else:
                sql = (
                    f"SELECT c.{pk} FROM {table} c JOIN {owned[parent]} p "  # noqa: S608
                    f"ON c.{_q(column)} = p.id AND p.round = %s"
                )
                params = [round_ - 1]
            if add(child, sql, params, round_):
                new.add(child)
        if HouseholdMember in new:
            # Persons are not below a unit by foreign key: take the members of the
            # benchmark households (a person also in another household stops the commit).
            sql = (
                f"SELECT m.person_id FROM {_q(HouseholdMember._meta.db_table)} m "  # noqa: S608
                f"JOIN {owned[HouseholdMember]} p ON m.id = p.id AND p.round = %s"
            )
            if add(Person, sql, [round_], round_):
                new.add(Person)
        grew = new
    return owned


def _wholly_owned(cursor, owned: dict[type[models.Model], str]) -> tuple[dict, list[str]]:
    """The owned models whose tables hold nothing but benchmark rows, and the tables to
    TRUNCATE for them: those plus any empty table that refers to one of them (TRUNCATE
    refuses a table referred to from outside the statement). A table referred to by a
    table with other rows is deleted from instead. Tables are locked against writes
    before they are counted, so no row can slip in before the TRUNCATE."""
    by_table = {model._meta.db_table: model for model in owned}
    cursor.execute(f"LOCK TABLE {', '.join(map(_q, by_table))} IN SHARE MODE")
    whole = {}
    for model, temp in owned.items():
        table = _q(model._meta.db_table)
        cursor.execute(f"SELECT (SELECT count(*) FROM {table}), (SELECT count(*) FROM {temp})")  # noqa: S608
        in_table, mine = cursor.fetchone()
        if in_table == mine:
            whole[model] = mine
    cursor.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f'"
    )
    references = [(child.strip('"'), parent.strip('"')) for child, parent in cursor.fetchall()]
    names = {model._meta.db_table for model in whole}
    empty: dict[str, bool] = {}
    changed = True
    while changed:
        changed = False
        for child, parent in references:
            if parent not in names or child in names:
                continue
            if child not in by_table and child not in empty:
                cursor.execute(f"LOCK TABLE {_q(child)} IN SHARE MODE")
                cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {_q(child)})")  # noqa: S608
                empty[child] = cursor.fetchone()[0]
            if empty.get(child):
                names.add(child)
            else:
                names.discard(parent)
            changed = True
    counts = {model: count for model, count in whole.items() if model._meta.db_table in names}
    return counts, sorted(names)


def _access_log_is_all_bench(cursor, units: list[int]) -> bool:
    cursor.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {_q(AccessLog._meta.db_table)} a "  # noqa: S608
        f"LEFT JOIN {_q(User._meta.db_table)} u ON u.id = a.user_id "
        "WHERE u.unit_id IS NULL OR NOT (u.unit_id = ANY(%s)) "
        "OR (a.subject_unit_id IS NOT NULL AND NOT (a.subject_unit_id = ANY(%s))))",
        [units, units],
    )
    return cursor.fetchone()[0]
