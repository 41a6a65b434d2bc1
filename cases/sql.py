"""Small SQL helpers the ORM lacks."""

from collections.abc import Iterable

from django.db.models import BooleanField, F, Func, Value


class AnyOf(Func):
    """``column = ANY(%s)`` with the ids as one array parameter. An ``__in`` filter over
    thousands of ids (a month's households in a large unit) is compiled and sent one
    placeholder per id, which costs more than the query itself; on SQLite (``make run``)
    it falls back to an IN list."""

    output_field = BooleanField()

    def __init__(self, column: str, values: Iterable[int]):
        super().__init__(F(column), Value(sorted(values)))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", [*params, self.source_expressions[1].value]

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        values = self.source_expressions[1].value
        if not values:
            return "1 = 0", params
        return f"{column} IN ({', '.join(['%s'] * len(values))})", [*params, *values]
