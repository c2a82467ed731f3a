package com.example.guards;

import android.app.Service;
import android.content.Intent;
import android.os.Binder;
import android.os.IBinder;

/** Refuses callers other than its own uid. */
public class GuardedService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        if (Binder.getCallingUid() != 1000) { // the system uid only
            stopSelf();
            return START_NOT_STICKY;
        }
        getSharedPreferences("state", 0).edit().putString("mode", intent.getStringExtra("mode")).commit();
        return START_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
