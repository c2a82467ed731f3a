package com.example.keys;

import android.app.Activity;
import android.text.Editable;
import android.text.TextWatcher;
import android.util.Log;
import android.view.KeyEvent;
import android.view.View;

/** Key handlers and a TextWatcher that log what the user types. */
public class MainActivity extends Activity {
    public boolean onKeyDown(int keyCode, KeyEvent event) {
        // ruleid: android.storage.keystroke-log
        Log.d("keys", "pressed " + keyCode);
        return false;
    }

    public boolean dispatchKeyEvent(KeyEvent event) {
        // ruleid: android.storage.keystroke-log
        Log.i("keys", "character " + event.getUnicodeChar());
        return false;
    }

    static class PinListener implements View.OnKeyListener {
        public boolean onKey(View v, int keyCode, KeyEvent event) {
            // ok: android.storage.keystroke-log
            Log.d("keys", "key listener called");
            return false;
        }
    }

    static class Typing implements TextWatcher {
        public void beforeTextChanged(CharSequence s, int start, int count, int after) {
        }

        public void onTextChanged(CharSequence s, int start, int before, int count) {
            // ruleid: android.storage.keystroke-log
            Log.v("typing", s.toString());
        }

        public void afterTextChanged(Editable s) {
            // ok: android.storage.keystroke-log
            Log.v("typing", "length changed");
        }
    }
}
