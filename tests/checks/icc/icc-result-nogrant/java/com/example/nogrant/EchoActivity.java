package com.example.nogrant;

import android.app.Activity;
import android.os.Bundle;

/** The twin of icc-result-grant's EchoActivity in an app without a granting provider. */
public class EchoActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        // ok: android.icc.intent-redirection
        setResult(RESULT_OK, getIntent());
        finish();
    }
}
