package com.example.demo;

import android.app.Service;
import android.content.Intent;
import android.os.IBinder;
import android.telephony.TelephonyManager;

/** Exported service that sends the device id to the backend when anyone starts it. */
public class SyncService extends Service {
    static {
        System.loadLibrary("native-sync");
    }

    static native int checksum(String data);

    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        TelephonyManager tm = (TelephonyManager) getSystemService(TELEPHONY_SERVICE);
        String deviceId = tm.getDeviceId();
        ApiClient.post("http://api.demoshop.example.com/v1/sync", deviceId + checksum(deviceId));
        return START_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
