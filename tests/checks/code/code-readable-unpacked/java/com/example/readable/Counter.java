package com.example.readable;

/** The twin of com.example.packed.a, with its name kept. */
class Counter {
    int next(int x) {
        return x + 1;
    }
}
