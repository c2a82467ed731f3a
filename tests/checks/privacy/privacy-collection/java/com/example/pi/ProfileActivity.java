package com.example.pi;

import android.app.Activity;
import android.content.Context;
import android.telephony.TelephonyManager;
import android.view.View;

/** Not the launcher: reached only after the user navigated here (after consent). */
public class ProfileActivity extends Activity implements View.OnClickListener {
    static String imsi;

    @Override
    public void onClick(View v) {
        TelephonyManager tm = (TelephonyManager) getSystemService(Context.TELEPHONY_SERVICE);
        // ruleid: android.privacy.device-identifier
        // ok: android.privacy.pi-before-consent
        imsi = tm.getSubscriberId();
    }
}
