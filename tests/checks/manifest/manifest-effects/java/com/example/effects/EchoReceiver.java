package com.example.effects;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;

/** Answers a fixed text: data handed back, but nothing it read. */
public class EchoReceiver extends BroadcastReceiver {
    @Override
    public void onReceive(Context context, Intent intent) {
        setResultData("pong");
    }
}
