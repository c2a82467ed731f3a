package com.example.readable;

final class Decrement {
    static int of(int x) {
        return x - 1;
    }
}
