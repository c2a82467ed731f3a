package com.example.readable;

import android.app.Application;

/** Near twin of com.stub.StubApp: a stub-like name in the app's own package is no packer. */
public class StubApplication extends Application {
    @Override
    public void onCreate() {
        super.onCreate();
        System.loadLibrary("engine");
    }
}
