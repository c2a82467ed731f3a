package com.example.nativeload;

import android.app.Activity;
import android.os.Environment;
import java.io.File;

/** Native libraries loaded from external storage, and twins from the app's private files. */
public class MainActivity extends Activity {
    void fromSdcard() {
        File lib = new File(Environment.getExternalStorageDirectory(), "plugins/libcodec.so");
        // ruleid: android.code.external-native-load
        System.load(lib.getAbsolutePath());
    }

    void fromAppExternalDir() {
        String path = getExternalFilesDir(null) + "/libfilter.so";
        // ruleid: android.code.external-native-load
        Runtime.getRuntime().load(path);
    }

    void fromLiteralPath() {
        // ruleid: android.code.external-native-load
        System.load("/sdcard/Download/libpatch.so");
    }

    /** The directory is chosen by the caller: followed across the call. */
    void loadFrom(String path) {
        // ruleid: android.code.external-native-load
        System.load(path);
    }

    void updates() {
        loadFrom(Environment.getExternalStorageDirectory().getAbsolutePath() + "/libupdate.so");
    }

    void fromPrivateFiles() {
        File lib = new File(getFilesDir(), "libcodec.so");
        // ok: android.code.external-native-load
        System.load(lib.getAbsolutePath());
    }

    void fromApk() {
        // ok: android.code.external-native-load
        System.loadLibrary("codec");
    }
}
