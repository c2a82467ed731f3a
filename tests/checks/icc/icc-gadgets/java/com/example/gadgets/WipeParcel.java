package com.example.gadgets;

import android.os.Parcel;
import android.os.Parcelable;
import java.io.File;

/** The CREATOR itself deletes the file the Parcel names. */
public class WipeParcel implements Parcelable {
    public static final Parcelable.Creator<WipeParcel> CREATOR = new Creator();

    static final class Creator implements Parcelable.Creator<WipeParcel> {
        @Override
        public WipeParcel createFromParcel(Parcel in) {
            // ruleid: android.icc.deserialization-gadget
            new File(in.readString()).delete();
            return new WipeParcel();
        }

        @Override
        public WipeParcel[] newArray(int size) {
            return new WipeParcel[size];
        }
    }

    @Override
    public int describeContents() {
        return 0;
    }

    @Override
    public void writeToParcel(Parcel out, int flags) {
        out.writeString("");
    }
}
