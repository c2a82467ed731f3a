package com.example.receiverinput;

import android.app.Activity;

public class MainActivity extends Activity {
    static boolean running = true;
}
