package com.example.blocked;

import java.io.IOException;
import java.net.URL;

/** minSdk 24, targetSdk 29, a config that permits cleartext only for legacy.example.com:
 *  Android blocks plain HTTP to every other host on every device the app supports. */
public class Feeds {
    public static URL[] all() throws IOException {
        // ok: android.network.cleartext-url
        URL blocked = new URL("http://api.example.com/feed");
        // ruleid: android.network.cleartext-url
        URL legacy = new URL("http://legacy.example.com/feed");
        // ruleid: android.network.cleartext-url
        URL sub = new URL("http://img.legacy.example.com/logo.png");
        return new URL[] {blocked, legacy, sub};
    }
}
