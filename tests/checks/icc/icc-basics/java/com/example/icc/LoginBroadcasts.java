package com.example.icc;

import android.content.Context;
import android.content.Intent;

import java.io.Serializable;

/**
 * A credentials object broadcast under a neutral extra name (ovaa's
 * UNPROTECTED_CREDENTIALS_DATA): the value's getter names what it is.
 */
public class LoginBroadcasts {
    /** What a login screen keeps: user name and password. */
    public static class LoginData implements Serializable {
        public String email;
        public String password;
    }

    /** A value whose name says nothing sensitive. */
    public static class PageData implements Serializable {
        public int page;
    }

    private final Context context;
    private final LoginData login = new LoginData();
    private final PageData page = new PageData();

    public LoginBroadcasts(Context context) {
        this.context = context;
    }

    public LoginData getLoginData() {
        return login;
    }

    public PageData getPageData() {
        return page;
    }

    void send() {
        Intent leak = new Intent("com.example.icc.CREDENTIALS_DATA");
        leak.putExtra("payload", getLoginData());
        // ruleid: android.icc.implicit-broadcast-sensitive
        context.sendBroadcast(leak);
        Intent own = new Intent("com.example.icc.CREDENTIALS_DATA");
        own.setPackage(context.getPackageName());
        own.putExtra("payload", getLoginData());
        // ok: android.icc.implicit-broadcast-sensitive
        context.sendBroadcast(own);
        Intent neutral = new Intent("com.example.icc.PAGE_DATA");
        neutral.putExtra("payload", getPageData());
        // ok: android.icc.implicit-broadcast-sensitive
        context.sendBroadcast(neutral);
    }

    /** InsecureBankv2's ChangePassword: extra names written as one lowercase word. */
    void sendChanged(String phone, String pass) {
        Intent changed = new Intent();
        changed.setAction("theBroadcast");
        changed.putExtra("phonenumber", phone);
        changed.putExtra("newpass", pass);
        // ruleid: android.icc.implicit-broadcast-sensitive
        context.sendBroadcast(changed);
        Intent route = new Intent("com.example.icc.ROUTE");
        route.putExtra("bypass", pass);
        route.putExtra("compass", phone);
        // ok: android.icc.implicit-broadcast-sensitive
        context.sendBroadcast(route);
    }
}
