package com.example.lazygadget;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        if (getIntent().getStringExtra("q") == null) {
            finish();
        }
    }
}
