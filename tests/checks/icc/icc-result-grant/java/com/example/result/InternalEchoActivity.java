package com.example.result;

import android.app.Activity;
import android.os.Bundle;

/** The twin: the same echo in an activity other apps cannot start. */
public class InternalEchoActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        // ok: android.icc.intent-redirection
        setResult(RESULT_OK, getIntent());
        finish();
    }
}
