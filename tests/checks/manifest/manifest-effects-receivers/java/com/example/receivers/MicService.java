package com.example.receivers;

import android.app.Service;
import android.content.Intent;
import android.media.AudioRecord;
import android.os.IBinder;

/** The twin: records the microphone (RECORD_AUDIO held) whenever any app starts it. */
public class MicService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        AudioRecord record = new AudioRecord(1, 44100, 16, 2, 4096);
        record.startRecording();
        return START_NOT_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
