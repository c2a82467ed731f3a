package com.example.cleartext;

import android.app.Activity;

public class MainActivity extends Activity {
}
