package okhttp3.internal;

/** As OkHttp 3.x has it: the user agent names the library version. */
public final class Version {
    private Version() {
    }

    public static String userAgent() {
        return "okhttp/3.12.0";
    }
}
