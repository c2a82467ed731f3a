package com.example.receivers;

import android.app.Service;
import android.content.BroadcastReceiver;
import android.content.Context;
import android.content.Intent;
import android.content.IntentFilter;
import android.os.IBinder;

/** Starting it only registers a receiver for a broadcast only the system sends; the upload
 * follows the system's event, which the caller does not control. */
public class WatchService extends Service {
    @Override
    public void onCreate() {
        super.onCreate();
        registerReceiver(new BroadcastReceiver() {
            @Override
            public void onReceive(Context context, Intent intent) {
                Uploader.upload("connectivity");
            }
        }, new IntentFilter("android.net.conn.CONNECTIVITY_CHANGE"));
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
