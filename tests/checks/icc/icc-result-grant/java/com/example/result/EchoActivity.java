package com.example.result;

import android.app.Activity;
import android.os.Bundle;

/** Returns the Intent it was started with: the caller's data URI and grant flags come back
 * as this app's result, a grant to the app's non-exported provider. */
public class EchoActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        // ruleid: android.icc.intent-redirection
        setResult(RESULT_OK, getIntent());
        finish();
    }
}
