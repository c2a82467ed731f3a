package com.example.ciphers;

import android.app.Activity;

public class MainActivity extends Activity {
}
