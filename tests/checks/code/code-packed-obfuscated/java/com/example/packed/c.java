package com.example.packed;

final class c {
    static int a(int x) {
        return x - 1;
    }
}
