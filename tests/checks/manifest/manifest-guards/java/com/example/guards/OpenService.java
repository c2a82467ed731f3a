package com.example.guards;

import android.app.Service;
import android.content.Intent;
import android.os.IBinder;

/** The twin: does what it is asked, whoever asks. */
public class OpenService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        getSharedPreferences("state", 0).edit().putString("mode", intent.getStringExtra("mode")).commit();
        return START_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
