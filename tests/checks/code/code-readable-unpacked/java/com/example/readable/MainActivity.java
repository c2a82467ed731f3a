package com.example.readable;

import android.app.Activity;
import android.os.Bundle;

public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        new Counter().next(new Doubler().apply(Decrement.of(3)));
    }
}
