package com.example.storage;

import android.content.ClipData;
import android.content.ClipboardManager;
import android.content.ContentValues;
import android.content.Context;
import android.content.SharedPreferences;
import android.database.sqlite.SQLiteDatabase;
import android.telephony.TelephonyManager;
import android.util.Log;

/** Secrets reaching logs, the clipboard and local stores, next to harmless twins. */
public class Secrets {
    private String password;
    private String username;
    private final Context context;

    public Secrets(Context context, String username, String password) {
        this.context = context;
        this.username = username;
        this.password = password;
    }

    void log(TelephonyManager tm, String card) {
        // ruleid: android.storage.sensitive-log
        Log.d("login", "user " + username + " password " + password);
        // ruleid: android.storage.sensitive-log
        Log.i("device", tm.getDeviceId());
        // ruleid: android.storage.sensitive-log
        Log.e("pay", "Error while processing transaction with credit card: " + card);
        // ok: android.storage.sensitive-log
        Log.d("login", "user " + username + " logged in");
        // ok: android.storage.sensitive-log
        Log.d("login", "password is required");
        // ok: android.storage.sensitive-log
        Log.i("files", "saved to " + card + "/credentials.dat");
    }

    /** InsecureShop's LoginActivity: the tag names what the typed text is. */
    void logTyped(String typed, String state) {
        // ruleid: android.storage.sensitive-log
        Log.d("password", typed);
        // ok: android.storage.sensitive-log
        Log.d("password", "required");
        // ok: android.storage.sensitive-log
        Log.d("PasswordResetActivity", state);
    }

    void copy(ClipboardManager clipboard, String shown) {
        // ruleid: android.storage.clipboard-sensitive
        clipboard.setPrimaryClip(ClipData.newPlainText("text", password));
        // ruleid: android.storage.clipboard-sensitive
        clipboard.setPrimaryClip(ClipData.newPlainText("password", shown));
        // ok: android.storage.clipboard-sensitive
        clipboard.setPrimaryClip(ClipData.newPlainText("text", username));
    }

    void store(SQLiteDatabase db, String token) {
        SharedPreferences prefs = context.getSharedPreferences("login", Context.MODE_PRIVATE);
        SharedPreferences.Editor editor = prefs.edit();
        // ruleid: android.storage.plaintext-credentials
        editor.putString("password", password);
        // ok: android.storage.plaintext-credentials
        editor.putString("username", username);
        // ok: android.storage.plaintext-credentials
        editor.putString("password_hint", password);
        // ok: android.storage.plaintext-credentials
        editor.putString("token", "");
        editor.apply();
        ContentValues values = new ContentValues();
        // ruleid: android.storage.plaintext-credentials
        values.put("pin", token);
        db.insert("users", null, values);
        db.execSQL("CREATE TABLE IF NOT EXISTS myuser(user VARCHAR, password VARCHAR);");
        // ruleid: android.storage.plaintext-credentials, android.storage.sql-injection
        db.execSQL("INSERT INTO myuser VALUES ('" + username + "', '" + password + "');");
    }

    void storeHashed(String pin) throws Exception {
        SharedPreferences.Editor editor = context.getSharedPreferences("login", Context.MODE_PRIVATE).edit();
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        String hashed = android.util.Base64.encodeToString(md.digest(pin.getBytes("UTF-8")), 0);
        // ok: android.storage.plaintext-credentials
        editor.putString("pin", hashed);
        editor.apply();
    }
}
