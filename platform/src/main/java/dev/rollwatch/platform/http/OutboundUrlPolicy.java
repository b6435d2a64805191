package dev.rollwatch.platform.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where Rollwatch may call out to: http(s) only (https only when {@code requireHttps}); never to a destination
 * that resolves to a loopback, private, link-local (incl. the 169.254.169.254 metadata service), carrier-grade
 * NAT, benchmarking, documentation, IETF-reserved, broadcast, unique-local, multicast or unspecified address —
 * also not through an IPv6 form that embeds such an IPv4 address (IPv4-mapped, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) or tunnels to an unknown one (Teredo {@code 2001::/32}, IPv4-compatible) — unless
 * allow-listed: {@code allowed} (CIDRs like {@code 10.1.0.0/16} or host names) for every environment,
 * {@code allowedByEnvironment} for one deployment environment, or, for loopback only, {@code allowLoopback}.
 * <p>
 * {@link #check} answers a {@link Destination}: the vetted URI and the one address the connection must use
 * ({@link BoundedHttp#send(java.net.http.HttpClient, java.net.http.HttpRequest, java.time.Duration, long,
 * OutboundUrlPolicy, String)} connects to exactly that address, so a name cannot resolve to a public address for
 * the check and to an internal one for the connection). Refusals are {@link RefusedDestination}s whose message a
 * user can act on and never carries remote text.
 */
public final class OutboundUrlPolicy {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    /** Resolves a host to its addresses (DNS in production, fixed answers in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A vetted destination: the URI as given and the one address the connection must use. */
    public record Destination(URI uri, InetAddress address) {
    }

    /** A destination that may not be used, with the reason a user can act on (never remote text). */
    public static final class RefusedDestination extends RuntimeException {
        public RefusedDestination(String message) {
            super(message);
        }
    }

    private final boolean requireHttps;
    private final boolean allowLoopback;
    private final List<String> allowed;
    private final Map<String, List<String>> allowedByEnvironment;
    private final Resolver resolver;

    public OutboundUrlPolicy(boolean requireHttps, boolean allowLoopback, List<String> allowed,
            Map<String, List<String>> allowedByEnvironment, Resolver resolver) {
        this.requireHttps = requireHttps;
        this.allowLoopback = allowLoopback;
        this.allowed = clean(allowed);
        Map<String, List<String>> byEnv = new java.util.HashMap<>();
        (allowedByEnvironment == null ? Map.<String, List<String>>of() : allowedByEnvironment)
                .forEach((env, list) -> byEnv.put(env, clean(list)));
        this.allowedByEnvironment = Map.copyOf(byEnv);
        this.resolver = resolver;
    }

    /** The same policy with no per-environment allow-list. */
    public OutboundUrlPolicy(boolean requireHttps, boolean allowLoopback, List<String> allowed, Resolver resolver) {
        this(requireHttps, allowLoopback, allowed, Map.of(), resolver);
    }

    private static List<String> clean(List<String> entries) {
        List<String> out = new ArrayList<>();
        if (entries != null) {
            for (String e : entries) {
                if (e != null && !e.isBlank()) {
                    out.add(e.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(out);
    }

    public boolean requireHttps() {
        return requireHttps;
    }

    public boolean allowLoopback() {
        return allowLoopback;
    }

    /** {@link #check(String, String)} without an environment: only the global allow-list applies. */
    public Destination check(String url) {
        return check(url, null);
    }

    /**
     * Vets {@code url} for a call made on behalf of {@code environment} (a deployment environment; null for calls
     * that belong to none): the global allow-list and that environment's apply.
     *
     * @throws RefusedDestination when the URL may not be called, saying why
     */
    public Destination check(String url, String environment) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new RefusedDestination("not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedDestination("only http and https URLs are allowed");
        }
        if (requireHttps && !scheme.equals("https")) {
            throw new RefusedDestination("only https URLs are allowed in this environment");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedDestination("credentials in the URL are not allowed");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new RefusedDestination("the URL has no host");
        }
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String lowerHost = bareHost.toLowerCase(Locale.ROOT);
        List<String> allowList = allowList(environment);
        boolean nameAllowed = allowList.contains(lowerHost);
        if (!nameAllowed && METADATA_HOSTS.contains(lowerHost)) {
            throw new RefusedDestination("host " + host + " is a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new RefusedDestination("host " + host + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedDestination("host " + host + " does not resolve");
        }
        if (!nameAllowed) {
            for (InetAddress address : addresses) {
                String why = forbidden(address);
                if (why != null && !isAllowListed(address, allowList)
                        && !(allowLoopback && isLoopback(address))) {
                    throw new RefusedDestination("host " + host + " resolves to " + why + " address "
                            + address.getHostAddress() + via(address));
                }
            }
        }
        return new Destination(uri, addresses[0]);
    }

    /** For an IPv6 form that carries an IPv4 address: which one, e.g. {@code " (NAT64 of 127.0.0.1)"}. */
    private static String via(InetAddress a) {
        if (a instanceof Inet4Address) {
            return "";
        }
        byte[] b = a.getAddress();
        byte[] v4 = embeddedIpv4(a);
        if (v4 == null) {
            return "";
        }
        String form = prefix(b, 0x20, 0x02) ? "6to4" : prefix(b, 0x00, 0x64) ? "NAT64" : "IPv4-mapped";
        return " (" + form + " of " + (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "."
                + (v4[3] & 0xff) + ")";
    }

    private List<String> allowList(String environment) {
        List<String> forEnv = environment == null ? null : allowedByEnvironment.get(environment);
        if (forEnv == null || forEnv.isEmpty()) {
            return allowed;
        }
        List<String> both = new ArrayList<>(allowed);
        both.addAll(forEnv);
        return both;
    }

    private static boolean isLoopback(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return true;
        }
        byte[] v4 = embeddedIpv4(a);
        return v4 != null && (v4[0] & 0xff) == 127;
    }

    /** Why an address is not a public destination, or null when it is. */
    public static String forbidden(InetAddress a) {
        if (a instanceof Inet4Address) {
            return forbiddenIpv4(a.getAddress());
        }
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return embedded(b, 12);
        }
        if (isZero(b, 0, 12)) {
            return "a deprecated IPv4-compatible";
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b) && isZero(b, 4, 12)) {
            return embedded(b, 12);
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return "a local-use NAT64";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "a site-local";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "a unique-local";
        }
        if ((b[0] & 0xe0) != 0x20) {
            return "a reserved"; // outside 2000::/3, the only global unicast space
        }
        if (prefix(b, 0x20, 0x02)) {
            return embedded(b, 2);
        }
        if (prefix(b, 0x20, 0x01, 0x00, 0x00)) {
            return "a Teredo";
        }
        if (prefix(b, 0x20, 0x01, 0x0d, 0xb8) || (prefix(b, 0x3f, 0xff) && (b[2] & 0xf0) == 0)) {
            return "a documentation";
        }
        if (prefix(b, 0x20, 0x01) && (b[2] & 0xfe) == 0) {
            return "an IETF protocol assignment"; // 2001::/23: benchmarking, ORCHID, …
        }
        return null;
    }

    /** The embedded IPv4 address's reason, if any (the message names the form and the IPv4 address). */
    private static String embedded(byte[] b, int from) {
        return forbiddenIpv4(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    }

    /** The IPv4 address an IPv6 address carries to an IPv4 host (mapped, NAT64, 6to4), or null. */
    static byte[] embeddedIpv4(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return b;
        }
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                || prefix(b, 0x00, 0x64, 0xff, 0x9b) && isZero(b, 4, 12)) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (prefix(b, 0x20, 0x02)) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    static String forbiddenIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        if (first == 127) {
            return "a loopback";
        }
        if (first == 0) {
            return b[1] == 0 && b[2] == 0 && b[3] == 0 ? "an unspecified" : "a reserved (0.0.0.0/8)";
        }
        if (first == 169 && second == 254) {
            return "a link-local";
        }
        if (first == 10 || first == 172 && (second & 0xf0) == 16 || first == 192 && second == 168) {
            return "a private";
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "a carrier-grade NAT";
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return "a benchmarking";
        }
        if (first == 192 && second == 0 && third == 0) {
            return "an IETF protocol assignment";
        }
        if (first == 192 && second == 0 && third == 2 || first == 198 && second == 51 && third == 100
                || first == 203 && second == 0 && third == 113) {
            return "a documentation";
        }
        if (first >= 224 && first <= 239) {
            return "a multicast";
        }
        if (first == 255 && second == 255 && third == 255 && (b[3] & 0xff) == 255) {
            return "a broadcast";
        }
        if (first >= 240) {
            return "a reserved";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean prefix(byte[] b, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((b[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowListed(InetAddress address, List<String> allowList) {
        for (String entry : allowList) {
            if (entry.contains("/") && inCidr(address, entry)) {
                return true;
            }
        }
        return false;
    }

    static boolean inCidr(InetAddress address, String cidr) {
        String[] parts = cidr.split("/", 2);
        InetAddress network;
        try {
            String literal = parts[0].trim();
            if (!literal.contains(":") && !literal.matches("[0-9.]+")) {
                return false; // not a literal: never look a name up here
            }
            network = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            return false;
        }
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
