package com.example.receiverinput;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

public class UnplugHelperReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        handle(intent);
    }

    static void handle(Intent intent) {
        MainActivity.running = intent.getBooleanExtra("running", false);
    }
}
