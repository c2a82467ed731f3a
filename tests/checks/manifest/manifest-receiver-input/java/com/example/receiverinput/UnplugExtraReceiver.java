package com.example.receiverinput;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

public class UnplugExtraReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        if ("android.intent.action.ACTION_POWER_DISCONNECTED".equals(intent.getAction())) {
            context.getSharedPreferences("state", Context.MODE_PRIVATE)
                    .edit()
                    .putString("reason", intent.getStringExtra("reason"))
                    .apply();
        }
    }
}
