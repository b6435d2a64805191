package dev.rollwatch.console.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request path under {@code /api/}, split into the service and the rest, and checked for path traversal before
 * anything is sent upstream: a {@code .} or {@code ..} segment, raw or percent-encoded (also twice), an encoded
 * slash or backslash, or a NUL makes the request invalid. Pure, so it is tested directly.
 */
public record ProxyPath(String service, String rest) {

    public static final String PREFIX = "/api/";

    /** Why a path under {@code /api/} is refused. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** True when the console handles {@code rawPath} as an API call. */
    public static boolean isApi(String rawPath) {
        return rawPath != null && (rawPath.startsWith(PREFIX) || rawPath.equals("/api"));
    }

    /**
     * {@code rawPath} (as received, not decoded, without the query) of a request for which {@link #isApi} holds.
     * The rest keeps its original (encoded) form: the upstream decodes it once, as it would without the console.
     */
    public static ProxyPath parse(String rawPath) throws Invalid {
        checkTraversal(rawPath);
        String after = rawPath.length() <= PREFIX.length() ? "" : rawPath.substring(PREFIX.length());
        int slash = after.indexOf('/');
        String service = slash < 0 ? after : after.substring(0, slash);
        String rest = slash < 0 ? "" : after.substring(slash + 1);
        return new ProxyPath(service.toLowerCase(Locale.ROOT), rest);
    }

    /** The upstream path: {@code /api/v1/<rest>}. */
    public String upstreamPath() {
        return "/api/v1/" + rest;
    }

    static void checkTraversal(String rawPath) throws Invalid {
        String path = rawPath;
        for (int decodings = 0; ; decodings++) {
            checkSegments(path);
            if (path.indexOf('%') < 0) {
                return;
            }
            if (decodings == 3) {
                throw new Invalid("the path is percent-encoded too many times");
            }
            String decoded;
            try {
                decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Invalid("the path is not validly percent-encoded");
            }
            if (decoded.equals(path)) {
                return;
            }
            path = decoded;
        }
    }

    private static void checkSegments(String path) throws Invalid {
        if (path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw new Invalid("the path contains a backslash or a NUL");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new Invalid("the path contains a '" + segment + "' segment");
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw new Invalid("the path contains an encoded slash or backslash");
        }
    }
}
