package com.example.blocked;

import android.app.Activity;

public class MainActivity extends Activity {
}
