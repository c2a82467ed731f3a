package com.example.keys;

import android.app.Activity;
import android.util.Log;
import android.view.KeyEvent;

/** The twins: the handler uses the key (back handling) and logs only that it ran. */
public class QuietActivity extends Activity {
    private int presses;

    public boolean onKeyDown(int keyCode, KeyEvent event) {
        if (keyCode == KeyEvent.KEYCODE_BACK) {
            presses++;
        }
        // ok: android.storage.keystroke-log
        Log.d("keys", "presses so far: " + presses);
        return false;
    }
}
