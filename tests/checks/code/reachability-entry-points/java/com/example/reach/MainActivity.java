package com.example.reach;

import android.app.Activity;
import android.os.Bundle;
import javax.crypto.Cipher;

/** Entry point: the manifest declares it, so its callbacks and what they call can run. */
public class MainActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        try {
            new Used().encrypt();
            Runnable task = new Task();
            task.run();
            Object plugin = Class.forName("com.example.reach.ByName").newInstance();
            plugin.toString();
            org.junit.Assert.check();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    // The framework creates components and may call any method they override: every
    // method of a framework subclass counts as callable once the class is created.
    public Cipher componentMethod() throws Exception {
        // ruleid: android.crypto.ecb-mode
        return Cipher.getInstance("DES");
    }
}
