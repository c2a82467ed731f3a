package com.example.gadgets;

import android.os.Parcel;
import android.os.Parcelable;

/** Twin: a Parcelable that reads two ints. */
public class PointParcel implements Parcelable {
    public static final Parcelable.Creator<PointParcel> CREATOR =
            new Parcelable.Creator<PointParcel>() {
                @Override
                public PointParcel createFromParcel(Parcel in) {
                    return new PointParcel(in);
                }

                @Override
                public PointParcel[] newArray(int size) {
                    return new PointParcel[size];
                }
            };

    final int x;
    final int y;

    PointParcel(Parcel in) {
        // ok: android.icc.deserialization-gadget
        x = in.readInt();
        y = in.readInt();
    }

    @Override
    public int describeContents() {
        return 0;
    }

    @Override
    public void writeToParcel(Parcel out, int flags) {
        out.writeInt(x);
        out.writeInt(y);
    }
}
