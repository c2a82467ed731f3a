package com.example.backupprefs;

import android.app.Activity;
import android.content.Context;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        remember(this, getIntent().getStringExtra("token"));
    }

    // A helper the entry method calls: what the backup would copy.
    static void remember(Context context, String token) {
        context.getSharedPreferences("session", Context.MODE_PRIVATE)
                .edit()
                .putString("token", token)
                .apply();
    }
}
