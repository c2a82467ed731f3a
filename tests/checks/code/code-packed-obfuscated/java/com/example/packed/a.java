package com.example.packed;

/** What R8 leaves of a class: a one-letter name. */
class a {
    int a(int x) {
        return x + 1;
    }
}
