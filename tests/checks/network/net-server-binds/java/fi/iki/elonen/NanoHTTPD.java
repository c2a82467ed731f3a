package fi.iki.elonen;

/** NanoHTTPD's constructors, as an app ships the library. */
public abstract class NanoHTTPD {
    protected NanoHTTPD(int port) {
        this(null, port);
    }

    protected NanoHTTPD(String hostname, int port) {
    }
}
