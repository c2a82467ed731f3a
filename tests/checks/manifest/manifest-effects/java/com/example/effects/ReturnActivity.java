package com.example.effects;

import android.app.Activity;
import android.os.Bundle;

/** Hands the caller its own Intent back: URI grant flags the caller set are honoured with
 *  this app's rights (a third near twin of ToastActivity: no read, yet an effect). */
public class ReturnActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        setResult(RESULT_OK, getIntent());
        finish();
    }
}
