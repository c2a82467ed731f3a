package com.example.icc;

import android.app.Service;

public abstract class SyncService extends Service {
}
