package com.example.pbe;

import android.app.Activity;

public class MainActivity extends Activity {
}
