package com.example.flow;

import android.content.Context;

/** Values kept in non-final static fields (set in <clinit>) or returned by getters. */
public class Names {
    static String BASE;
    static String TABLE;
    static String COMMAND;
    static String SCREEN_OFF;
    static String PASSWORD_KEY;
    static String PAGE_KEY;
    static String PASSWORD_PREF;
    static String THEME_PREF;

    static {
        BASE = "http://api.example.com/v1/";
        TABLE = "notes";
        COMMAND = "com.example.flow.COMMAND";
        SCREEN_OFF = "android.intent.action.SCREEN_OFF";
        PASSWORD_KEY = "password";
        PAGE_KEY = "page";
        PASSWORD_PREF = "user_password";
        THEME_PREF = "theme";
    }

    static String secureBase() {
        return "https://api.example.com/v1/";
    }

    static int sharedMode() {
        return Context.MODE_WORLD_WRITEABLE;
    }

    static int privateMode() {
        return Context.MODE_PRIVATE;
    }

    static String timeTick() {
        return "android.intent.action.TIME_TICK";
    }
}
