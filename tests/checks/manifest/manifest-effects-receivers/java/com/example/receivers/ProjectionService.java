package com.example.receivers;

import android.app.Service;
import android.content.Intent;
import android.media.AudioPlaybackCaptureConfiguration;
import android.media.AudioRecord;
import android.media.projection.MediaProjection;
import android.media.projection.MediaProjectionManager;
import android.os.IBinder;

/** Records what other apps play, with the MediaProjection token in the start Intent: only the
 * device's user can grant that token (the consent dialog), so a caller brings it or gets nothing. */
public class ProjectionService extends Service {
    @Override
    public int onStartCommand(Intent intent, int flags, int startId) {
        MediaProjectionManager manager =
                (MediaProjectionManager) getSystemService("media_projection");
        MediaProjection projection =
                manager.getMediaProjection(intent.getIntExtra("result_code", 0), intent);
        if (projection == null) {
            return START_NOT_STICKY;
        }
        AudioRecord record = new AudioRecord.Builder()
                .setAudioPlaybackCaptureConfig(
                        new AudioPlaybackCaptureConfiguration.Builder(projection).build())
                .build();
        record.startRecording();
        return START_NOT_STICKY;
    }

    @Override
    public IBinder onBind(Intent intent) {
        return null;
    }
}
