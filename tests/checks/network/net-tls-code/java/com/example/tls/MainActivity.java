package com.example.tls;

import android.app.Activity;

public class MainActivity extends Activity {
}
