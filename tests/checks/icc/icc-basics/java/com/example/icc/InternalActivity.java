package com.example.icc;

import android.app.Activity;
import android.os.Bundle;
import java.io.Serializable;

/** Not exported: its intents come from the app (the exported twin is Receivers.onReceive). */
public class InternalActivity extends Activity {
    Serializable state;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        // ok: android.icc.object-deserialization
        state = getIntent().getSerializableExtra("state");
    }
}
