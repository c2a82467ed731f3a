package com.example.ime;

import android.inputmethodservice.InputMethodService;
import android.inputmethodservice.Keyboard;
import android.inputmethodservice.KeyboardView;
import android.util.Log;
import android.view.View;
import android.view.inputmethod.InputConnection;

/**
 * An input method whose keyboard listener logs codes it has no case for.
 * Its layout (res/xml/keys.xml) has only the three control keys the switch handles: the
 * default branch's log is reached by no key (an info note, see test_keyboard_layouts.py).
 */
public class KeysIme extends InputMethodService implements KeyboardView.OnKeyboardActionListener {
    static final int KEYS_LAYOUT = 0x7f020000; // R.xml.keys, pinned by res/values/public.xml

    @Override
    public View onCreateInputView() {
        KeyboardView view = new KeyboardView(this);
        view.setKeyboard(new Keyboard(this, KEYS_LAYOUT));
        view.setOnKeyboardActionListener(this);
        return view;
    }

    @Override
    public void onKey(int primaryCode, int[] keyCodes) {
        InputConnection ic = getCurrentInputConnection();
        switch (primaryCode) {
            case Keyboard.KEYCODE_DELETE:
                ic.deleteSurroundingText(1, 0);
                break;
            case Keyboard.KEYCODE_DONE:
                ic.performEditorAction(6);
                break;
            case Keyboard.KEYCODE_CANCEL:
                requestHideSelf(0);
                break;
            default:
                // ruleid: android.storage.keystroke-log
                Log.w("KeysIme", "Unknown primaryCode " + primaryCode);
        }
    }

    @Override
    public void onPress(int primaryCode) {}

    @Override
    public void onRelease(int primaryCode) {}

    @Override
    public void onText(CharSequence text) {}

    @Override
    public void swipeLeft() {}

    @Override
    public void swipeRight() {}

    @Override
    public void swipeDown() {}

    @Override
    public void swipeUp() {}
}
