package com.example.random;

import android.app.Activity;
import android.widget.TextView;

public class MainActivity extends Activity {
    /** The caller of the random helper: named by the heuristic finding in Tokens.otp(). */
    void showOtp(TextView view) {
        view.setText(Tokens.otp());
    }
}
