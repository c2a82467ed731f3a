package com.example.receiverinput;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

public class UnplugReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        if ("android.intent.action.ACTION_POWER_DISCONNECTED".equals(intent.getAction())) {
            MainActivity.running = false;
        }
    }
}
