/* The twin of libjiagu.so: an ordinary native library. */
int engine_step(int x) { return x ^ 0x5a; }
