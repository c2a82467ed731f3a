package com.stub;

import android.app.Application;

/** Stands for 360 Jiagu's stub: the class name the protector puts in the manifest. */
public class StubApp extends Application {
    @Override
    public void onCreate() {
        super.onCreate();
        System.loadLibrary("jiagu");
    }
}
