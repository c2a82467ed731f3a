package com.example.values;

import android.app.Activity;

public class MainActivity extends Activity {
}
