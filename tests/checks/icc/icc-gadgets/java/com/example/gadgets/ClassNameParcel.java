package com.example.gadgets;

import android.os.Parcel;
import android.os.Parcelable;

/** The Parcel constructor loads a class the Parcel names. */
public class ClassNameParcel implements Parcelable {
    public static final Parcelable.Creator<ClassNameParcel> CREATOR =
            new Parcelable.Creator<ClassNameParcel>() {
                @Override
                public ClassNameParcel createFromParcel(Parcel in) {
                    return new ClassNameParcel(in);
                }

                @Override
                public ClassNameParcel[] newArray(int size) {
                    return new ClassNameParcel[size];
                }
            };

    final Class<?> type;

    ClassNameParcel(Parcel in) {
        try {
            // ruleid: android.icc.deserialization-gadget
            type = Class.forName(in.readString());
        } catch (ClassNotFoundException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public int describeContents() {
        return 0;
    }

    @Override
    public void writeToParcel(Parcel out, int flags) {
        out.writeString(type.getName());
    }
}
