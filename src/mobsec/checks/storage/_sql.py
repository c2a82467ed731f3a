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
# Clients of a content provider: the selection is the WHERE clause of the provider's SQL
# (every SQLite-backed provider, the app's own and other apps'), so concatenating into it is
# the same injection, one process away. SQLiteQueryBuilder builds a statement the same way.
RESOLVERS = (
    "Landroid/content/ContentResolver;",
    "Landroid/content/ContentProviderClient;",
)
QUERY_BUILDER = "Landroid/database/sqlite/SQLiteQueryBuilder;"
STATEMENT_METHODS = ("rawQuery", "rawQueryWithFactory", "execSQL", "compileStatement")
SELECTION_METHODS = ("query", "queryWithFactory", "update", "delete", "updateWithOnConflict")
STRING = "Ljava/lang/String;"


def sql_position(name: str, proto: str, owner: str = DATABASES[0]) -> int | None:
    """Argument position (receiver 0) of the SQL text or selection in this overload of
    ``owner.name``."""
    types = param_types(proto)
    if owner in RESOLVERS and name in ("update", "delete"):
        # update(uri, values, where, whereArgs), delete(uri, where, whereArgs); the Bundle
        # overloads carry no selection text
        first = next((i for i, t in enumerate(types) if t == STRING), None)
        return None if first is None else first + 1
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
