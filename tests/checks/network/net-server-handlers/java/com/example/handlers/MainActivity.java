package com.example.handlers;

import android.app.Activity;
import android.os.Bundle;
import android.telephony.TelephonyManager;

/** Starts the servers; what each one does for a client is in its own class. */
public class MainActivity extends Activity {
    static final int ROTATION_0 = 0;

    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        new DeviceIdServer((TelephonyManager) getSystemService(TELEPHONY_SERVICE)).start();
        new CommandServer().start();
        new AndroidIdServer(getContentResolver()).start();
        new OrientationServer(ROTATION_0).start();
    }
}
