package com.example.receivers;

import android.app.Service;
import android.content.Intent;
import android.location.Location;
import android.location.LocationListener;
import android.location.LocationManager;
import android.os.IBinder;

/** Forwards the caller's extra in a broadcast, then tracks the location: the location is
 * what the message names first. */
public class TrackService extends Service implements LocationListener {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        sendBroadcast(new Intent("com.example.receivers.MODE").putExtra("mode",
                intent.getStringExtra("mode")));
        track();
        return START_STICKY;
    }

    private void track() {
        LocationManager manager = (LocationManager) getSystemService("location");
        manager.requestLocationUpdates("gps", 1000L, 0f, this);
    }

    @Override
    public void onLocationChanged(Location location) {}

    @Override
    public void onStatusChanged(String provider, int status, android.os.Bundle extras) {}

    @Override
    public void onProviderEnabled(String provider) {}

    @Override
    public void onProviderDisabled(String provider) {}

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
