package com.example.icc;

import android.app.Activity;
import android.app.PendingIntent;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.content.pm.PackageManager;
import android.os.Bundle;

/** Intents, broadcasts and receivers: each unsafe call next to a safe twin. */
public class MainActivity extends Activity {
    private String token;
    private BroadcastReceiver receiver;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        pending();
        broadcasts("user");
        receivers();
        redirect();
    }

    void pending() {
        Intent empty = new Intent();
        // ruleid: android.icc.pending-intent-implicit
        PendingIntent a = PendingIntent.getActivity(this, 0, empty, PendingIntent.FLAG_UPDATE_CURRENT);
        Intent byAction = new Intent("com.example.icc.OPEN");
        // ruleid: android.icc.pending-intent-implicit
        PendingIntent b = PendingIntent.getBroadcast(this, 1, byAction, PendingIntent.FLAG_MUTABLE);
        Intent explicit = new Intent(this, MainActivity.class);
        // ok: android.icc.pending-intent-implicit
        PendingIntent c = PendingIntent.getActivity(this, 2, explicit, PendingIntent.FLAG_UPDATE_CURRENT);
        Intent immutable = new Intent("com.example.icc.OPEN");
        // ok: android.icc.pending-intent-implicit
        PendingIntent d = PendingIntent.getBroadcast(this, 3, immutable, PendingIntent.FLAG_IMMUTABLE);
    }

    void broadcasts(String user) {
        Intent creds = new Intent("com.example.icc.CREDENTIALS");
        creds.putExtra("login", user);
        creds.putExtra("password", token);
        // ruleid: android.icc.implicit-broadcast-sensitive
        sendBroadcast(creds);
        Intent own = new Intent("com.example.icc.CREDENTIALS");
        own.setPackage(getPackageName());
        own.putExtra("password", token);
        // ok: android.icc.implicit-broadcast-sensitive
        sendBroadcast(own);
        Intent plain = new Intent("com.example.icc.REFRESH");
        plain.putExtra("page", 2);
        // ok: android.icc.implicit-broadcast-sensitive
        sendBroadcast(plain);
        Intent sticky = new Intent("com.example.icc.STATE");
        // ruleid: android.icc.sticky-broadcast
        sendStickyBroadcast(sticky);
        // ok: android.icc.sticky-broadcast
        sendBroadcast(sticky, "com.example.icc.permission.STATE");
        Intent service = new Intent("com.example.icc.SYNC");
        // ruleid: android.icc.implicit-service-intent
        startService(service);
        Intent explicitService = new Intent(this, SyncService.class);
        // ok: android.icc.implicit-service-intent
        startService(explicitService);
    }

    void receivers() {
        IntentFilter custom = new IntentFilter("com.example.icc.COMMAND");
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, custom);
        IntentFilter flagged = new IntentFilter("com.example.icc.COMMAND");
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, flagged, Context.RECEIVER_EXPORTED);
        IntentFilter privateFilter = new IntentFilter("com.example.icc.COMMAND");
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, privateFilter, Context.RECEIVER_NOT_EXPORTED);
        IntentFilter permitted = new IntentFilter("com.example.icc.COMMAND");
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, permitted, "com.example.icc.permission.SEND", null);
        IntentFilter system = new IntentFilter("android.intent.action.SCREEN_OFF");
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, system);
        // Not an IPC entry point: the "calling" identity here is the app itself.
        // ok: android.icc.calling-or-self-permission
        int granted = checkCallingOrSelfPermission("android.permission.READ_CONTACTS");
        // ok: android.icc.calling-or-self-permission
        int self = checkSelfPermission("android.permission.READ_CONTACTS");
        // The filter comes from a helper (as AppCompat's night-mode receiver): its actions
        // are read there. Protected system broadcasts only: not exposed.
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, timeFilter());
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, commandFilter());
    }

    // A filter kept in a field and filled where it is registered (AppCompat's night-mode
    // manager): its actions are read in this method.
    void timeReceiver() {
        if (timeFilterField == null) {
            timeFilterField = new IntentFilter();
            timeFilterField.addAction("android.intent.action.TIME_SET");
            timeFilterField.addAction("android.intent.action.TIME_TICK");
        }
        // ok: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, timeFilterField);
    }

    void commandReceiver() {
        if (commandFilterField == null) {
            commandFilterField = new IntentFilter();
            commandFilterField.addAction("com.example.icc.COMMAND");
        }
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(receiver, commandFilterField);
    }

    // As AppCompat's AutoNightModeManager: the base class registers the filter an abstract
    // method returns; each subclass builds it from system actions only.
    abstract static class NightMode {
        abstract IntentFilter filter();

        void setup(android.content.Context context, BroadcastReceiver r) {
            // ok: android.icc.dynamic-receiver-exported
            context.registerReceiver(r, filter());
        }
    }

    static class TimeNightMode extends NightMode {
        @Override
        IntentFilter filter() {
            IntentFilter f = new IntentFilter();
            f.addAction("android.intent.action.TIME_SET");
            f.addAction("android.intent.action.TIME_TICK");
            return f;
        }
    }

    private IntentFilter timeFilterField;
    private IntentFilter commandFilterField;

    IntentFilter timeFilter() {
        IntentFilter filter = new IntentFilter();
        filter.addAction("android.intent.action.TIME_SET");
        filter.addAction("android.intent.action.TIMEZONE_CHANGED");
        filter.addAction("android.intent.action.TIME_TICK");
        return filter;
    }

    IntentFilter commandFilter() {
        IntentFilter filter = new IntentFilter();
        filter.addAction("com.example.icc.COMMAND");
        return filter;
    }

    void redirect() {
        Intent inner = getIntent().getParcelableExtra("extra_intent");
        // ruleid: android.icc.intent-redirection
        startActivity(inner);
        // ruleid: android.icc.intent-redirection
        setResult(RESULT_OK, inner);
        String page = getIntent().getStringExtra("page");
        Intent built = new Intent(this, MainActivity.class);
        built.putExtra("page", page);
        // ok: android.icc.intent-redirection
        startActivity(built);
    }
}
