package com.example.callers;

import android.app.Activity;
import android.os.Process;

/** Outside IPC, checking the app's own permission with its own identity is the intent. */
public class MainActivity extends Activity {
    boolean canUseCamera() {
        // ok: android.icc.wrong-caller-identity
        return checkPermission("android.permission.CAMERA", Process.myPid(), Process.myUid()) == 0;
    }
}
