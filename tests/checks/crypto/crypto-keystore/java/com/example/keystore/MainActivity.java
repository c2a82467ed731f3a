package com.example.keystore;

import android.app.Activity;

public class MainActivity extends Activity {
}
