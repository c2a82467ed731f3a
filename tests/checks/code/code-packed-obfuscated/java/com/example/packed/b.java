package com.example.packed;

class b {
    int a(int x) {
        return x * 2;
    }
}
