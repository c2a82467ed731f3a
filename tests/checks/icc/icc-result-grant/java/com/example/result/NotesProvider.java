package com.example.result;

import android.content.ContentProvider;

/** The provider the grant opens (its methods do not matter here). */
public abstract class NotesProvider extends ContentProvider {}
