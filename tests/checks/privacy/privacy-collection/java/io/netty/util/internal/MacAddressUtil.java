package io.netty.util.internal;

import java.net.NetworkInterface;

/** Stands for Netty: a networking library reads a MAC address for its own channel ids. */
public final class MacAddressUtil {
    public static byte[] bestAvailableMac(NetworkInterface iface) throws Exception {
        // ok: android.privacy.device-identifier
        return iface.getHardwareAddress();
    }

    /** The same read, called by the app's own code (Analytics.macThroughNetty): the app
     * collects the MAC through the library. */
    public static byte[] hardwareAddress(NetworkInterface iface) throws Exception {
        // ruleid: android.privacy.device-identifier
        return iface.getHardwareAddress();
    }
}
