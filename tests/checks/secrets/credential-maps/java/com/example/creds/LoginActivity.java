package com.example.creds;

import android.app.Activity;
import android.os.Bundle;
import android.widget.EditText;
import android.widget.TextView;

public class LoginActivity extends Activity {
    private EditText userName;
    private EditText password;
    private TextView title;
    private Util util;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        util = new Util(getSharedPreferences("login", MODE_PRIVATE));
    }

    // What the user typed goes to the helpers as arguments.
    public void onLogin() {
        String user = String.valueOf(userName.getText());
        String pass = String.valueOf(password.getText());
        if (util.verifyUserNamePassword(user, pass)
                || util.verifyOperator(user, pass)
                || util.verifySaved(user, pass)
                || util.verifyMerged(user, pass)
                || util.verifyRemembered(user, pass)
                || util.verifyBig(user, pass)
                || util.verifyAnyUser(user, pass)
                || util.isSavedUser(user)) {
            util.remember(user, pass);
        }
        // The title shown is the app's own text, not input.
        util.isWelcome("Welcome back");
        util.isLabel(title.getText().length() > 0 ? "Welcome back" : "Sign in now");
    }

    // Java, in the method that reads the input: a constant key picks one entry.
    public boolean isAdmin() {
        String typed = password.getText().toString();
        // ruleid: android.secrets.hardcoded-credential-check
        return typed.equals(util.adminCreds().get("admin"));
    }
}
