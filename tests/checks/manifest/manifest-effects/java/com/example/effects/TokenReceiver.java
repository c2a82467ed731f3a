package com.example.effects;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

/** The twin: answers with the token the app keeps, to whoever asks. */
public class TokenReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        setResultData(context.getSharedPreferences("auth", 0).getString("token", ""));
    }
}
