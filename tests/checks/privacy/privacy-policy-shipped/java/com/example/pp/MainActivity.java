package com.example.pp;

import android.app.Activity;
import android.content.Context;
import android.telephony.TelephonyManager;

public class MainActivity extends Activity {
    static String imei;

    void afterConsent() {
        TelephonyManager tm = (TelephonyManager) getSystemService(Context.TELEPHONY_SERVICE);
        imei = tm.getDeviceId();
    }
}
