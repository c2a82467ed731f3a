/* Stands for 360 Jiagu's native loader: only its file name (libjiagu.so) matters here. */
int jiagu_unpack(int x) { return x ^ 0x5a; }
