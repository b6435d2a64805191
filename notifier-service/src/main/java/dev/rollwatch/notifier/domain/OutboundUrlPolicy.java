package dev.rollwatch.notifier.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the notifier may send: http(s) only (https only when {@code requireHttps}); never to a destination that
 * resolves to a loopback, private, link-local (incl. the 169.254.169.254 metadata service), carrier-grade NAT,
 * unique-local, multicast or unspecified address, unless allow-listed ({@code allowed}: CIDRs like
 * {@code 10.1.0.0/16} or host names) or, for loopback only, {@code allowLoopback}. Checked when a channel is
 * saved and again before every send (DNS may have changed).
 */
public final class OutboundUrlPolicy {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    /** Resolves a host to its addresses (DNS in production, fixed answers in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A destination that may not be used, with the reason a user can act on. */
    public static final class RefusedDestination extends RuntimeException {
        public RefusedDestination(String message) {
            super(message);
        }
    }

    private final boolean requireHttps;
    private final boolean allowLoopback;
    private final List<String> allowed;
    private final Resolver resolver;

    public OutboundUrlPolicy(boolean requireHttps, boolean allowLoopback, List<String> allowed, Resolver resolver) {
        this.requireHttps = requireHttps;
        this.allowLoopback = allowLoopback;
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    public URI check(String url) {
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
        if (allowed.stream().anyMatch(a -> a.equalsIgnoreCase(lowerHost))) {
            return uri;
        }
        if (METADATA_HOSTS.contains(lowerHost)) {
            throw new RefusedDestination("host " + host + " is a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bareHost);
        } catch (UnknownHostException e) {
            throw new RefusedDestination("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null && !isAllowListed(address) && !(allowLoopback && address.isLoopbackAddress())) {
                throw new RefusedDestination("host " + host + " resolves to " + why + " address "
                        + address.getHostAddress());
            }
        }
        return uri;
    }

    /** Why an address is not a public destination, or null when it is. */
    static String forbidden(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "a private";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return "a carrier-grade NAT";
            }
            if (first == 0 || first >= 240) {
                return "a reserved";
            }
        }
        if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "a unique-local";
        }
        return null;
    }

    private boolean isAllowListed(InetAddress address) {
        for (String entry : allowed) {
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
            network = InetAddress.getByName(parts[0]); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1].trim());
        for (int i = 0; i < n.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (n[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
