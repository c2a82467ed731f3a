package com.example.icc;

import android.preference.PreferenceActivity;

/** The twin: only its own fragment is valid. */
public class SafeSettingsActivity extends PreferenceActivity {
    @Override
    protected boolean isValidFragment(String fragmentName) {
        // ok: android.icc.fragment-injection
        return "com.example.icc.GeneralFragment".equals(fragmentName);
    }
}
