package com.example.receivers;

import android.app.Service;
import android.content.Intent;
import android.os.IBinder;

/** The twin: starting it uploads at once. */
public class PostService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        Uploader.upload("started");
        return START_NOT_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
