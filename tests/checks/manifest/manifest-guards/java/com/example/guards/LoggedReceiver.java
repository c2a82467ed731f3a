package com.example.guards;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.util.Log;

/** The twin: compares the action, complains, and stores anyway (no guard). */
public class LoggedReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        if (!"com.example.guards.SYNC".equals(intent.getAction())) {
            Log.w("guards", "unexpected intent");
        }
        context.getSharedPreferences("state", 0).edit().putString("sync", intent.getStringExtra("at")).commit();
    }
}
