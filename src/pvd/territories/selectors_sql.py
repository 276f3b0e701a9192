"""Querysets compiled once per process and database, run again with new parameters (issue 17).

Building a query's SQL is the largest cost of a cold commune page or portrait: Django compiles
a one-row query with five joins in 2-6 ms of CPU, for SQL that SQLite answers in 0.3 ms. A
:class:`Prepared` query is written as an ordinary queryset (``values_list``), compiled by
Django's own compiler for the database at hand (so the SQL is portable: SQLite, PostgreSQL),
once; later calls execute the same SQL through Django's connection with their own values bound
as parameters (never formatted into the SQL), and convert the rows with the compiler's
converters (JSON, dates), as the queryset would.

The parameters are found in the compiled query by marks: the queryset is built with unlikely
integers in place of the values (a text field turns them into their digits), and each mark must come out as exactly one parameter. A filter
on a list (``__in``) is compiled once per list length (``Prepared(..., sizes=True)``). The values
are bound as given, without the field's preparation: texts, integers, as the columns hold them
(not dates, JSON or model instances). The SQL is the database vendor's, not the connection's:
each thread runs it on its own connection, and the converters get that connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import QuerySet

_MARK = 7_310_000_000_000  # the marks: unlikely integers (a text field gets their digits)


class _Compiled:
    def __init__(self, queryset: QuerySet, marks: list[int]) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        by_text = {str(m): m for m in marks}
        slots: dict[int, int] = {}
        for position, param in enumerate(params):
            mark = by_text.get(param) if isinstance(param, str) else param
            if type(mark) is int and mark in by_text.values():
                if mark in slots:
                    raise ValueError(f"parameter {marks.index(mark)} bound twice in {sql}")
                slots[mark] = position
        missing = [i for i, m in enumerate(marks) if m not in slots]
        if missing:
            raise ValueError(f"parameters {missing} not found in the compiled query {sql}")
        self.sql = sql
        self.params = list(params)
        self.slots = [(slots[m], i) for i, m in enumerate(marks)]
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())
        self.width = compiler.col_count

    def convert(self, rows: list, connection) -> list[tuple]:
        """The compiler's ``apply_converters``, with the connection of the thread at hand."""
        out = []
        for row in rows:
            row = list(row[: self.width])
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            out.append(tuple(row))
        return out

    def bind(self, values: Sequence) -> list:
        params = list(self.params)
        for position, index in self.slots:
            params[position] = values[index]
        return params


class Prepared:
    """``build(*params)`` -> a ``values_list`` queryset; ``run(*values)`` -> its rows (tuples).

    ``sizes=True``: the last parameter is a list (an ``__in`` filter), passed as one mark per
    item; the query is compiled once per length."""

    def __init__(self, build: Callable[..., QuerySet], *, sizes: bool = False) -> None:
        self.build = build
        self.sizes = sizes
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, key: tuple, fixed: int, items: int) -> _Compiled:
        compiled = self._compiled.get(key)
        if compiled is None:
            marks = [_MARK + i for i in range(fixed + items)]
            if self.sizes:
                queryset = self.build(*marks[:fixed], marks[fixed:])
            else:
                queryset = self.build(*marks)
            compiled = _Compiled(queryset, marks)
            with self._lock:
                if len(self._compiled) > 256:
                    self._compiled.clear()
                self._compiled[key] = compiled
        return compiled

    def run(self, *args) -> list[tuple]:
        if self.sizes:
            items = list(args[-1])
            if not items:
                return []
            fixed, values = len(args) - 1, [*args[:-1], *items]
        else:
            items, fixed, values = [], len(args), list(args)
        key = (connection.alias, connection.vendor, connection.settings_dict["NAME"], len(items))
        compiled = self._compile(key, fixed, len(items))
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.bind(values))
            rows = cursor.fetchall()
        if compiled.converters:
            return compiled.convert(rows, connection)
        return [tuple(row[: compiled.width]) for row in rows]
