package com.example.oreo;

import android.app.Activity;

public class MainActivity extends Activity {
}
