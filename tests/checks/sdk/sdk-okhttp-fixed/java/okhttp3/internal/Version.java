package okhttp3.internal;

/** As OkHttp has it (4.9.2: the release that fixed CVE-2023-0833): the user agent names the library version. */
public final class Version {
    private Version() {
    }

    public static String userAgent() {
        return "okhttp/4.9.2";
    }
}
