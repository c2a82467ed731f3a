package com.example.readable;

class Doubler {
    int apply(int x) {
        return x * 2;
    }
}
