package com.example.result;

import android.app.Activity;
import android.content.Intent;
import android.os.Bundle;

/** The twin: an exported activity that answers with an Intent it builds itself, copying
 * only a plain extra of the caller's. */
public class AnswerActivity extends Activity {
    @Override
    protected void onCreate(Bundle state) {
        super.onCreate(state);
        Intent answer = new Intent();
        answer.putExtra("query", getIntent().getStringExtra("query"));
        // ok: android.icc.intent-redirection
        setResult(RESULT_OK, answer);
        finish();
    }
}
