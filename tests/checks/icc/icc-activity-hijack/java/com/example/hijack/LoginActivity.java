package com.example.hijack;

import android.app.Activity;

/** The screen the implicit Intents below mean to reach (any app can declare its action). */
public class LoginActivity extends Activity {
}
