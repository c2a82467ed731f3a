package com.example.callers;

import android.os.Binder;
import android.os.Bundle;
import android.os.Process;

/** call() runs for any app: the provider's permission does not cover it. */
public class CommandProvider extends BaseProvider {
    static boolean wiped;

    public Bundle call(String method, String arg, Bundle extras) {
        // ruleid: android.icc.provider-call-unchecked
        if ("wipe".equals(method)) {
            wipe(arg);
        }
        return new Bundle();
    }

    void wipe(String what) {
        wiped = what != null;
    }

    /** An IPC method that asks about itself instead of the caller. */
    public int delete(android.net.Uri uri, String selection, String[] args) {
        // ruleid: android.icc.wrong-caller-identity
        if (getContext().checkPermission("com.example.callers.ADMIN", Process.myPid(), Process.myUid()) != 0) {
            return 0;
        }
        long token = Binder.clearCallingIdentity();
        try {
            // ruleid: android.icc.wrong-caller-identity
            int uid = Binder.getCallingUid();
            return uid == 1000 ? 1 : 0;
        } finally {
            Binder.restoreCallingIdentity(token);
        }
    }

    /** The twin: the caller's uid read before the identity is cleared. */
    public int update(android.net.Uri uri, android.content.ContentValues v, String s, String[] a) {
        // ok: android.icc.wrong-caller-identity
        int uid = Binder.getCallingUid();
        long token = Binder.clearCallingIdentity();
        try {
            return uid == 1000 ? 1 : 0;
        } finally {
            Binder.restoreCallingIdentity(token);
        }
    }
}
