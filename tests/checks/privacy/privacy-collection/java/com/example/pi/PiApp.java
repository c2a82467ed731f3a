package com.example.pi;

import android.app.Application;
import android.content.Context;
import android.provider.Settings;
import android.telephony.TelephonyManager;

/** Reads identifiers while the process starts: before any consent dialog can be answered. */
public class PiApp extends Application {
    static String imei;
    static String androidId;

    @Override
    public void onCreate() {
        super.onCreate();
        TelephonyManager tm = (TelephonyManager) getSystemService(Context.TELEPHONY_SERVICE);
        // ruleid: android.privacy.device-identifier, android.privacy.pi-before-consent
        imei = tm.getDeviceId();
        Analytics.init(this);
    }
}
