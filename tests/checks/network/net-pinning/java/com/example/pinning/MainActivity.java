package com.example.pinning;

import android.app.Activity;

public class MainActivity extends Activity {
}
