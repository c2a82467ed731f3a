package com.example.keys;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.util.Log;

/**
 * The twin of a keyboard's key log (the shape of uiautomator2's AdbKeyboard): text that a
 * test harness sends in a broadcast and the keyboard types for it is not what the user
 * typed, so logging it is not keystroke logging.
 */
public class InjectedText extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        String text = intent.getStringExtra("text");
        // ok: android.storage.keystroke-log
        Log.i("keyboard", "text received: " + text);
    }
}
