package com.example.guards;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.util.Log;

/** Refuses any intent but its own action before it stores anything. */
public class ActionReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        if (!"com.example.guards.SYNC".equals(intent.getAction())) {
            Log.w("guards", "unexpected intent");
            return;
        }
        context.getSharedPreferences("state", 0).edit().putString("sync", intent.getStringExtra("at")).commit();
    }
}
