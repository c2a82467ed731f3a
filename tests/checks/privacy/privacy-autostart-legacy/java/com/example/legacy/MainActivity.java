package com.example.legacy;

import android.app.Activity;

public class MainActivity extends Activity {
}
