package com.example.flow;

import android.app.Activity;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.content.SharedPreferences;
import android.database.Cursor;
import android.database.sqlite.SQLiteDatabase;
import android.widget.EditText;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.URL;

/** Storage, SQL, URLs, receiver filters and intent extras whose values cross a method boundary. */
public class MainActivity extends Activity {
    private BroadcastReceiver receiver;
    private SQLiteDatabase db;

    // ---- file modes -----------------------------------------------------------------

    void save(String name, int mode) throws IOException {
        // ruleid: android.storage.world-accessible-mode
        FileOutputStream out = openFileOutput(name, mode);
        out.close();
    }

    void savePrivately(String name, int mode) throws IOException {
        // ok: android.storage.world-accessible-mode
        FileOutputStream out = openFileOutput(name, mode);
        out.close();
    }

    void modes() throws IOException {
        save("shared.txt", Context.MODE_WORLD_READABLE);
        savePrivately("private.txt", Context.MODE_PRIVATE);
        // ruleid: android.storage.world-accessible-mode
        SharedPreferences shared = getSharedPreferences("shared", Names.sharedMode());
        // ok: android.storage.world-accessible-mode
        SharedPreferences own = getSharedPreferences("own", Names.privateMode());
    }

    // ---- SQL ------------------------------------------------------------------------

    static String queryFor(String user) {
        return "SELECT * FROM users WHERE name = '" + user + "'";
    }

    static String fixedQuery() {
        return "SELECT * FROM " + Names.TABLE + " WHERE id = 1";
    }

    Cursor lookUp(Intent intent) {
        // ruleid: android.storage.sql-injection
        return db.rawQuery(queryFor(intent.getStringExtra("user")), null);
    }

    Cursor fixed() {
        // ok: android.storage.sql-injection
        return db.rawQuery(fixedQuery(), null);
    }

    void run(String sql) {
        // ruleid: android.storage.sql-injection
        db.execSQL(sql);
    }

    void runFixed(String sql) {
        // ok: android.storage.sql-injection
        db.execSQL(sql);
    }

    void statements(Intent intent) {
        run("DELETE FROM notes WHERE name = '" + intent.getStringExtra("name") + "'");
        runFixed("DELETE FROM " + Names.TABLE + " WHERE done = 1");
    }

    /** The device's own user types the name into this app's own view: an info note. */
    Cursor typed(EditText field) {
        String name = field.getText().toString();
        // ruleid: android.storage.sql-injection
        return db.rawQuery("SELECT * FROM notes WHERE name = '" + name + "'", null);
    }

    /** Twin of the pivaa shape: the caller passes an EditText's text through Object.toString,
     * which an app class (Record) also overrides with a concatenation; the receiver is a
     * library object, so Record.toString is not what runs. */
    void runTyped(String sql) {
        // ok: android.storage.sql-injection
        db.execSQL(sql);
    }

    void typedStatement(EditText field) {
        runTyped(field.getText().toString());
    }

    void tableFromField() {
        // ok: android.storage.sql-injection
        db.execSQL("DELETE FROM " + Names.TABLE);
    }

    // ---- URLs -----------------------------------------------------------------------

    URL feed() throws IOException {
        // ruleid: android.network.cleartext-url
        return new URL(Names.BASE + "feed");
    }

    URL secureFeed() throws IOException {
        // ok: android.network.cleartext-url
        return new URL(Names.secureBase() + "feed");
    }

    URL fetch(String address) throws IOException {
        // ruleid: android.network.cleartext-url
        return new URL(address);
    }

    URL fetchSecure(String address) throws IOException {
        // ok: android.network.cleartext-url
        return new URL(address);
    }

    URL fromInput(Intent intent) throws IOException {
        // ok: android.network.cleartext-url
        return new URL(intent.getStringExtra("url"));
    }

    void urls() throws IOException {
        fetch("http://cdn.example.com/app.json");
        fetchSecure("https://cdn.example.com/app.json");
    }

    // ---- credentials and code from other packages ------------------------------------

    void remember(String typed) {
        SharedPreferences.Editor editor = getSharedPreferences("login", MODE_PRIVATE).edit();
        // ruleid: android.storage.plaintext-credentials
        editor.putString(Names.PASSWORD_PREF, typed);
        // ok: android.storage.plaintext-credentials
        editor.putString(Names.THEME_PREF, typed);
        editor.apply();
    }

    Context pluginContext(String packageName, int flags) throws Exception {
        // ruleid: android.code.package-context-code-loading
        return createPackageContext(packageName, flags);
    }

    Context resourcesContext(String packageName, int flags) throws Exception {
        // ok: android.code.package-context-code-loading
        return createPackageContext(packageName, flags);
    }

    void plugins() throws Exception {
        pluginContext("com.example.plugin", Context.CONTEXT_INCLUDE_CODE | Context.CONTEXT_IGNORE_SECURITY);
        resourcesContext("com.example.theme", 0);
    }

    // ---- receivers and intents ------------------------------------------------------

    void receivers() {
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, new IntentFilter(Names.COMMAND));
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, new IntentFilter(Names.SCREEN_OFF));
        IntentFilter ticks = new IntentFilter();
        ticks.addAction(Names.timeTick());
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, ticks);
    }

    void broadcasts(String secret) {
        Intent creds = new Intent("com.example.flow.CREDENTIALS");
        creds.putExtra(Names.PASSWORD_KEY, secret);
        // ruleid: android.icc.implicit-broadcast-sensitive
        sendBroadcast(creds);
        Intent page = new Intent("com.example.flow.REFRESH");
        page.putExtra(Names.PAGE_KEY, secret);
        // ok: android.icc.implicit-broadcast-sensitive
        sendBroadcast(page);
    }
}
