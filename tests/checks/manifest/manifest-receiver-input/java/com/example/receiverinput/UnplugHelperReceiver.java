package com.example.receiverinput;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

public class UnplugHelperReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        handle(context, intent);
    }

    static void handle(Context context, Intent intent) {
        MainActivity.running = intent.getBooleanExtra("running", false);
        // kept across restarts: another app's broadcast changes what the app stores
        context.getSharedPreferences("state", Context.MODE_PRIVATE)
                .edit()
                .putBoolean("running", MainActivity.running)
                .apply();
    }
}
