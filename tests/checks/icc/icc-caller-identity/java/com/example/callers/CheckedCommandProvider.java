package com.example.callers;

import android.os.Bundle;

/** The twin of CommandProvider: call() enforces a permission through a helper. */
public class CheckedCommandProvider extends BaseProvider {
    static boolean wiped;

    public Bundle call(String method, String arg, Bundle extras) {
        // ok: android.icc.provider-call-unchecked
        requireAdmin();
        if ("wipe".equals(method)) {
            wiped = arg != null;
        }
        return new Bundle();
    }

    private void requireAdmin() {
        if (getContext().checkCallingPermission("com.example.callers.ADMIN") != 0) {
            throw new SecurityException("not allowed");
        }
    }
}
