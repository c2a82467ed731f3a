package com.example.icc;

import android.preference.PreferenceActivity;

/** Exported PreferenceActivity that accepts any fragment class. */
public class SettingsActivity extends PreferenceActivity {
    @Override
    protected boolean isValidFragment(String fragmentName) {
        // ruleid: android.icc.fragment-injection
        return true;
    }
}
