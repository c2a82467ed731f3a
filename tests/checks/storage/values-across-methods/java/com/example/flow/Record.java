package com.example.flow;

/** An app class whose toString builds text from its fields (not SQL). */
public class Record {
    String id;
    String title;

    @Override
    public String toString() {
        return "Record [id=" + id + ", title=" + title + "]";
    }
}
