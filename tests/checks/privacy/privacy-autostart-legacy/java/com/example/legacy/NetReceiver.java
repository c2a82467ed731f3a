package com.example.legacy;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

public class NetReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
    }
}
