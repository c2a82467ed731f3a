package com.example.storage;

import android.database.Cursor;
import android.database.sqlite.SQLiteDatabase;

/** SQL text built from input versus constant SQL with bind arguments. */
public class Database {
    private final SQLiteDatabase db;

    public Database(SQLiteDatabase db) {
        this.db = db;
    }

    Cursor find(String user) {
        // ruleid: android.storage.sql-injection
        return db.rawQuery("SELECT * FROM sqliuser WHERE user = '" + user + "'", null);
    }

    Cursor findSafe(String user) {
        // ok: android.storage.sql-injection
        return db.rawQuery("SELECT * FROM sqliuser WHERE user = ?", new String[] {user});
    }

    void remove(String name) {
        // ruleid: android.storage.sql-injection
        db.execSQL("DELETE FROM notes WHERE name = '" + name + "'");
        // ok: android.storage.sql-injection
        db.execSQL("DELETE FROM notes WHERE name = '" + "fixed" + "'");
    }

    Cursor select(String owner) {
        // ruleid: android.storage.sql-injection
        Cursor c = db.query("notes", new String[] {"id"}, "owner = '" + owner + "'", null, null, null, null);
        // ok: android.storage.sql-injection
        Cursor d = db.query("notes", new String[] {"id"}, "owner = ?", new String[] {owner}, null, null, null);
        // ruleid: android.storage.sql-injection
        int n = db.delete("notes", "owner = '" + owner + "'", null);
        // ok: android.storage.sql-injection
        int m = db.delete("notes", "owner = ?", new String[] {owner});
        return c;
    }
}
