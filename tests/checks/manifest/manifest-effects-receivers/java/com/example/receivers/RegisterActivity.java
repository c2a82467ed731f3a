package com.example.receivers;

import android.app.Activity;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.Bundle;

/** Reads nothing of its start Intent: opening it registers a receiver any app can send to
 * (that receiver is the finding, where it is registered). */
public class RegisterActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(new Saver(), new IntentFilter("com.example.receivers.SAVE"));
    }

    static class Saver extends BroadcastReceiver {
        @Override
        public void onReceive(Context context, Intent intent) {
            String note = intent.getStringExtra("note");
            context.getSharedPreferences("notes", 0).edit().putString("last", note).commit();
        }
    }
}
