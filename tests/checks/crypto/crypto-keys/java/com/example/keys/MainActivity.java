package com.example.keys;

import android.app.Activity;

public class MainActivity extends Activity {
}
