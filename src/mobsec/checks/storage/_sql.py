"""Where SQL text enters the database APIs: (class, method) -> which argument is SQL.

Positions count the receiver as 0. ``query``-style methods take a *selection* (the WHERE
clause) rather than a whole statement; the position of that argument depends on the
overload, so it is found from the proto: the first String after the columns array.
"""

from __future__ import annotations

from ._common import param_types

DATABASES = (
    "Landroid/database/sqlite/SQLiteDatabase;",
    "Lnet/sqlcipher/database/SQLiteDatabase;",
    "Landroidx/sqlite/db/SupportSQLiteDatabase;",
)
STATEMENT_METHODS = ("rawQuery", "rawQueryWithFactory", "execSQL", "compileStatement")
SELECTION_METHODS = ("query", "queryWithFactory", "update", "delete", "updateWithOnConflict")
STRING = "Ljava/lang/String;"


def sql_position(name: str, proto: str) -> int | None:
    """Argument position (receiver 0) of the SQL text or selection in this overload."""
    types = param_types(proto)
    if name in STATEMENT_METHODS or (name == "query" and types == [STRING]):
        first = next((i for i, t in enumerate(types) if t == STRING), None)
        return None if first is None else first + 1
    if name in ("query", "queryWithFactory"):
        try:
            cols = types.index("[Ljava/lang/String;")
        except ValueError:
            return None
        nxt = next((i for i in range(cols + 1, len(types)) if types[i] == STRING), None)
        return None if nxt is None else nxt + 1
    if name in ("update", "updateWithOnConflict"):
        # update(table, values, whereClause, whereArgs[, conflict])
        strings = [i for i, t in enumerate(types) if t == STRING]
        return strings[1] + 1 if len(strings) >= 2 else None
    if name == "delete":
        strings = [i for i, t in enumerate(types) if t == STRING]
        return strings[1] + 1 if len(strings) >= 2 else None
    return None
