package com.example.digests;

import android.app.Activity;

public class MainActivity extends Activity {
}
