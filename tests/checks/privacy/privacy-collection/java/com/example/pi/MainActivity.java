package com.example.pi;

import android.app.Activity;
import android.content.Intent;
import android.content.pm.PackageInfo;
import android.content.pm.PackageManager;
import android.content.pm.ResolveInfo;
import android.os.Bundle;
import java.util.List;

/** The launcher: its onCreate runs before the user can answer a consent dialog. */
public class MainActivity extends Activity {
    static List<PackageInfo> apps;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        // ruleid: android.privacy.installed-apps, android.privacy.pi-before-consent
        apps = getPackageManager().getInstalledPackages(0);
    }

    void later() throws PackageManager.NameNotFoundException {
        // ok: android.privacy.installed-apps
        PackageInfo own = getPackageManager().getPackageInfo(getPackageName(), 0);
        Intent share = new Intent(Intent.ACTION_SEND);
        // ok: android.privacy.installed-apps, android.privacy.pi-before-consent
        List<ResolveInfo> handlers = getPackageManager().queryIntentActivities(share, 0);
    }
}
