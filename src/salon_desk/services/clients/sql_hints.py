"""Hints to SQLite's planner written into the SQL, which the other databases do not need."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal


class _Unindexed(ColumnElement[Any]):
    """A column or expression that SQLite must not find rows by, nor sort by an index: ``+column`` there."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


def unindexed(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """``column`` with its value and type, but kept from SQLite's indexes (the unary ``+``; as it is elsewhere)."""
    return _Unindexed(column)


@compiles(_Unindexed)
def _compile(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(_Unindexed, "sqlite")
def _compile_sqlite(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + str(compiler.process(element.column, **kw))


__all__ = ["unindexed"]
