package com.example.receivers;

import android.app.Activity;
import android.content.IntentFilter;
import android.os.Bundle;

/** The twin: besides the receiver, it keeps what its own caller sends. */
public class RegisterStoreActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        String text = getIntent().getStringExtra("message");
        getSharedPreferences("notes", 0).edit().putString("caller", text).commit();
        // ruleid: android.icc.dynamic-receiver-exported
        registerReceiver(new RegisterActivity.Saver(), new IntentFilter("com.example.receivers.SAVE"));
    }
}
