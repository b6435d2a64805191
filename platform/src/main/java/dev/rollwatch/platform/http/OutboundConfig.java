package dev.rollwatch.platform.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where outbound calls may go ({@code rollwatch.outbound.*}, docs/security.md "Outbound calls"). */
@ConfigMapping(prefix = "rollwatch.outbound")
public interface OutboundConfig {

    /** Refuse plain http destinations. */
    @WithDefault("false")
    boolean requireHttps();

    /**
     * Allow destinations on loopback addresses (the local stack's demo target and receivers). Off unless set:
     * production refuses loopback; the {@code dev} and {@code test} profiles and {@code ./rollwatch up}
     * ({@code ROLLWATCH_OUTBOUND_ALLOW_LOOPBACK=true}) allow it.
     */
    @WithDefault("false")
    boolean allowLoopback();

    /** Destinations allowed for every environment although their address is internal: CIDRs or host names. */
    Optional<List<String>> allowed();

    /** Per deployment environment: {@code rollwatch.outbound.environments."<env>".allowed}. */
    Map<String, Environment> environments();

    interface Environment {
        /** CIDRs or host names allowed for calls on behalf of this environment only. */
        Optional<List<String>> allowed();
    }
}
