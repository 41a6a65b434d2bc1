"""Bulk writing for the benchmark data: ids taken from the tables' own sequences in
blocks, rows streamed with PostgreSQL COPY (an order of magnitude faster than
``bulk_create`` for millions of rows, and no model instances are built)."""

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

from django.db import connection, models

ID_BLOCK = 20_000


class BulkWriter:
    """Hands out primary keys and buffers rows per model until ``flush``.

    Ids come from ``nextval`` of each table's identity sequence, so rows written here
    and rows the application inserts later never collide, and rows can refer to each
    other before anything is written. Foreign keys are deferred until commit (Django
    creates them DEFERRABLE INITIALLY DEFERRED), so the order of the COPYs is free."""

    def __init__(self) -> None:
        self._ids: dict[type[models.Model], deque[int]] = defaultdict(deque)
        self._rows: dict[tuple[type[models.Model], tuple[str, ...]], list[tuple]] = defaultdict(
            list
        )
        self.written: dict[str, int] = defaultdict(int)

    def next_id(self, model: type[models.Model]) -> int:
        ids = self._ids[model]
        if not ids:
            ids.extend(_take_ids(model, ID_BLOCK))
        return ids.popleft()

    def add(self, model: type[models.Model], columns: Sequence[str], row: tuple) -> None:
        self._rows[(model, tuple(columns))].append(row)

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for (model, columns), rows in self._rows.items():
                if not rows:
                    continue
                names = ", ".join(map(_quote, columns))
                sql = f"COPY {_quote(model._meta.db_table)} ({names}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                self.written[model._meta.label] += len(rows)
        self._rows.clear()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _take_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def vacuum_analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics and visibility maps right after a bulk load, as
    autovacuum would leave them minutes later. Inside a transaction (tests), where
    VACUUM cannot run, statistics only."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"{command} {_quote(table)}")
