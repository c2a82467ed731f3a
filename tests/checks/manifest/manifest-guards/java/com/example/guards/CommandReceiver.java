package com.example.guards;

import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** Acts only on commands of its allow-list. */
public class CommandReceiver extends BroadcastReceiver {
    private static final Set<String> ALLOWED = new HashSet<String>(Arrays.asList("pause", "resume"));

    @Override
    public void onReceive(Context context, Intent intent) {
        String command = intent.getStringExtra("command");
        if (!ALLOWED.contains(command)) {
            return;
        }
        context.getSharedPreferences("state", 0).edit().putString("command", command).commit();
    }
}
