package com.example.guards;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.pm.PackageManager;

/** Checks the sender's permission before acting. */
public class GuardedReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        if (context.checkCallingPermission("com.example.guards.CONTROL")
                != PackageManager.PERMISSION_GRANTED) {
            return;
        }
        setResultData(context.getSharedPreferences("auth", 0).getString("token", ""));
    }
}
