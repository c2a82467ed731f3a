package com.example.effects;

import android.app.Activity;
import android.os.Bundle;

/** The twin: the caller's text is kept, so any app can change what this app stores. */
public class StoreActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        String text = getIntent().getStringExtra("message");
        remember(text);
        finish();
    }

    private void remember(String text) {
        getSharedPreferences("notes", 0).edit().putString("last", text).commit();
    }
}
