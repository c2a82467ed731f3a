package com.example.pi;

import android.content.Context;
import android.provider.Settings;

/** An "SDK init" called from Application.onCreate: one call level below the root. */
public class Analytics {
    static String id;
    static String deviceName;

    static void init(Context context) {
        // ruleid: android.privacy.device-identifier, android.privacy.pi-before-consent
        id = Settings.Secure.getString(context.getContentResolver(), Settings.Secure.ANDROID_ID);
        // ok: android.privacy.device-identifier, android.privacy.pi-before-consent
        deviceName = Settings.Secure.getString(context.getContentResolver(), "bluetooth_name");
    }

    static byte[] macThroughNetty(java.net.NetworkInterface iface) throws Exception {
        return io.netty.util.internal.MacAddressUtil.hardwareAddress(iface);
    }

    static byte[] mac(java.net.NetworkInterface iface) throws Exception {
        // ruleid: android.privacy.device-identifier
        return iface.getHardwareAddress();
    }
}
