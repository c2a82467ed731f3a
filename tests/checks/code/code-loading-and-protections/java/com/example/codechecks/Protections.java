package com.example.codechecks;

import android.content.Context;
import android.content.pm.ApplicationInfo;
import android.content.pm.PackageInfo;
import android.content.pm.PackageManager;
import android.os.Build;
import android.os.Debug;
import java.io.File;
import java.util.zip.ZipFile;

public class Protections {
    static boolean rooted() {
        // ruleid: android.code.root-detection
        return new File("/system/xbin/su").exists();
    }

    static boolean hasShell() {
        // ok: android.code.root-detection
        return new File("/system/bin/sh").exists();
    }

    static boolean releaseKeys() {
        String tags = Build.TAGS;
        // ruleid: android.code.root-detection
        return tags != null && tags.contains("test-keys");
    }

    static boolean emulator() {
        // ruleid: android.code.emulator-detection
        return Build.FINGERPRINT.startsWith("generic") || Build.HARDWARE.contains("goldfish");
    }

    static String deviceName() {
        // ok: android.code.emulator-detection
        return Build.MANUFACTURER + " " + Build.MODEL;
    }

    static boolean debugged() {
        // ruleid: android.code.debugger-detection
        return Debug.isDebuggerConnected();
    }

    static long heap() {
        // ok: android.code.debugger-detection
        return Debug.getNativeHeapSize();
    }

    static boolean rebuiltDebuggable(Context context) {
        // ruleid: android.code.debugger-detection
        return (context.getApplicationInfo().flags & ApplicationInfo.FLAG_DEBUGGABLE) != 0;
    }

    static boolean onExternalStorage(Context context) {
        // ok: android.code.debugger-detection
        return (context.getApplicationInfo().flags & ApplicationInfo.FLAG_EXTERNAL_STORAGE) != 0;
    }

    static boolean dexUnchanged(Context context) throws Exception {
        ZipFile apk = new ZipFile(context.getPackageCodePath());
        // ruleid: android.code.tamper-detection
        return apk.getEntry("classes.dex").getCrc() == 0x1c2b3a49L;
    }

    static long archiveCrc(String path) throws Exception {
        ZipFile archive = new ZipFile(path);
        // ok: android.code.tamper-detection
        return archive.getEntry("data.bin").getCrc();
    }

    static boolean genuine(Context context) throws Exception {
        PackageManager pm = context.getPackageManager();
        // ruleid: android.code.tamper-detection
        PackageInfo info = pm.getPackageInfo(context.getPackageName(), PackageManager.GET_SIGNATURES);
        return info.signatures[0].hashCode() == 0x1c2b3a49;
    }

    // A font provider's signatures checked against its certificate list: another package.
    static boolean trustedProvider(Context context, android.content.pm.ProviderInfo provider)
            throws Exception {
        PackageManager pm = context.getPackageManager();
        // ok: android.code.tamper-detection
        PackageInfo info = pm.getPackageInfo(provider.packageName, PackageManager.GET_SIGNATURES);
        return info.signatures.length == 1;
    }

    // Play services' own genuineness check: the signatures of com.google.android.gms.
    static boolean playServicesGenuine(Context context) throws Exception {
        PackageManager pm = context.getPackageManager();
        // ok: android.code.tamper-detection
        PackageInfo info = pm.getPackageInfo("com.google.android.gms", PackageManager.GET_SIGNATURES);
        return info.signatures[0].hashCode() == 0x2a4b6c8d;
    }

    // The app's own package spelled out: tamper detection like genuine() above.
    static boolean genuineByName(Context context) throws Exception {
        PackageManager pm = context.getPackageManager();
        // ruleid: android.code.tamper-detection
        PackageInfo info = pm.getPackageInfo("com.example.codechecks", PackageManager.GET_SIGNATURES);
        return info.signatures[0].hashCode() == 0x1c2b3a49;
    }

    static String packageName(Context context) throws Exception {
        PackageManager pm = context.getPackageManager();
        // ok: android.code.tamper-detection
        PackageInfo info = pm.getPackageInfo(context.getPackageName(), 0);
        return info.packageName;
    }
}
