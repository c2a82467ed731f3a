package com.example.storage;

import android.content.ContentResolver;
import android.content.ContentValues;
import android.content.Intent;
import android.database.Cursor;
import android.net.Uri;

/** Selections sent to a content provider: the provider runs them as its SQL WHERE clause. */
class Resolver {
    private static final Uri NOTES = Uri.parse("content://com.example.notes/notes");

    Cursor byOwner(ContentResolver resolver, Intent intent) {
        String owner = intent.getStringExtra("owner");
        // ruleid: android.storage.sql-injection
        Cursor c = resolver.query(NOTES, null, "owner = '" + owner + "'", null, null);
        // ok: android.storage.sql-injection
        Cursor d = resolver.query(NOTES, null, "owner = ?", new String[] {owner}, null);
        return c != null ? c : d;
    }

    int change(ContentResolver resolver, Intent intent, ContentValues values) {
        String owner = intent.getStringExtra("owner");
        // ruleid: android.storage.sql-injection
        int n = resolver.update(NOTES, values, "owner = '" + owner + "'", null);
        // ok: android.storage.sql-injection
        int m = resolver.update(NOTES, values, "owner = ?", new String[] {owner});
        // ruleid: android.storage.sql-injection
        int k = resolver.delete(NOTES, "owner = '" + owner + "'", null);
        // ok: android.storage.sql-injection
        int j = resolver.delete(NOTES, "owner = ?", new String[] {owner});
        return n + m + k + j;
    }
}
