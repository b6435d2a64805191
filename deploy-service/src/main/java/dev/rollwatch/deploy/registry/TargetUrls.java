package dev.rollwatch.deploy.registry;

import dev.rollwatch.platform.rest.ProblemException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What target, metrics and smoke-check URLs may look like, and how the driver builds its call URLs (issue 17, 1).
 * A target URL is a base the driver appends fixed paths to ({@code /rollwatch/v1/traffic}, {@code /health}): it may
 * carry no user info, query or fragment, or a {@code ?} or {@code #} in it would turn the fixed path into a query or
 * fragment and give whoever wrote it the whole URL.
 */
public final class TargetUrls {

    /** A smoke host entry: {@code host} (the scheme's default port) or {@code host:port}; IPv6 in brackets. */
    public static final Pattern HOST = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?");

    private TargetUrls() {
    }

    /** The URL without trailing slashes. */
    public static String trimmed(String url) {
        return url.replaceAll("/+$", "");
    }

    /** A base URL (target) as the driver may use it, else a 400 {@code invalid-target} naming {@code field}. */
    public static URI base(String url, String field) {
        URI u = absolute(url, field);
        if (u.getRawQuery() != null || u.getRawFragment() != null || url.indexOf('?') >= 0 || url.indexOf('#') >= 0) {
            throw ProblemException.badRequest("invalid-target", field + " must not have a query or fragment: the "
                    + "driver appends its paths to it");
        }
        return u;
    }

    /** An absolute http(s) URL with a host and no user info (metrics, smoke checks), else a 400 naming {@code field}. */
    public static URI absolute(String url, String field) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw ProblemException.badRequest("invalid-target", field + " is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawAuthority() == null) {
            throw ProblemException.badRequest("invalid-target", field + " must be an absolute http(s) URL with a host");
        }
        if (u.getRawUserInfo() != null || u.getRawAuthority().contains("@")) {
            throw ProblemException.badRequest("invalid-target", field + " must not carry user info");
        }
        return u;
    }

    /**
     * The URL of {@code path} (absolute, e.g. {@code /rollwatch/v1/traffic}) under the target {@code base}: the
     * base's scheme, host and port, its path without trailing slashes, then {@code path}. Refuses a base with user
     * info, a query or a fragment, and any result whose host or port is not the base's.
     */
    public static URI resolve(String base, String path) {
        URI b = URI.create(base);
        if (b.getHost() == null || b.getRawUserInfo() != null || b.getRawQuery() != null || b.getRawFragment() != null
                || base.indexOf('?') >= 0 || base.indexOf('#') >= 0) {
            throw new IllegalArgumentException("the target URL must be http(s)://host[:port][/path], without user "
                    + "info, query or fragment");
        }
        String basePath = b.getRawPath() == null ? "" : b.getRawPath().replaceAll("/+$", "");
        URI u = b.resolve(URI.create(b.getScheme() + "://" + b.getRawAuthority() + basePath + path));
        if (!b.getHost().equalsIgnoreCase(u.getHost()) || port(b) != port(u) || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException("the target URL does not keep its host with a path appended");
        }
        return u;
    }

    /** The port a URL connects to (its scheme's default when it names none). */
    public static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** {@code scheme://host:port}, lower case, the port always given. */
    public static String origin(URI u) {
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port(u);
    }

    /** Whether two URLs name the same place: scheme, host and port compared as URLs, trailing slashes ignored. */
    public static boolean same(String a, String b) {
        try {
            URI x = new URI(trimmed(a));
            URI y = new URI(trimmed(b));
            if (x.getHost() == null || y.getHost() == null) {
                return trimmed(a).equals(trimmed(b));
            }
            return origin(x).equals(origin(y)) && String.valueOf(x.getRawPath()).equals(String.valueOf(y.getRawPath()))
                    && String.valueOf(x.getRawQuery()).equals(String.valueOf(y.getRawQuery()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether a smoke check at {@code check} may run against the registered target: the target's own origin, or a
     * host of {@code smokeHosts} ({@code host} matches the scheme's default port, {@code host:port} that port).
     */
    public static boolean smokeAllowed(URI check, URI target, Collection<String> smokeHosts) {
        if (origin(check).equals(origin(target))) {
            return true;
        }
        String host = check.getHost().toLowerCase(Locale.ROOT);
        int port = port(check);
        boolean defaultPort = check.getPort() < 0 || check.getPort() == port(URI.create(check.getScheme() + "://x"));
        for (String allowed : smokeHosts) {
            if (allowed.equals(host + ":" + port) || defaultPort && allowed.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
