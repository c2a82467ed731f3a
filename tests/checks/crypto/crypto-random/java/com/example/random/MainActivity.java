package com.example.random;

import android.app.Activity;

public class MainActivity extends Activity {
}
