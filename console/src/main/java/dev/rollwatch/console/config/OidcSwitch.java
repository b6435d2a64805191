package dev.rollwatch.console.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-in by OIDC (authorization code flow) only when both the provider and the client are configured:
 * {@code ROLLWATCH_OIDC_AUTH_SERVER_URL} and {@code ROLLWATCH_OIDC_CLIENT_ID} (and usually
 * {@code ROLLWATCH_OIDC_CLIENT_SECRET}), or the {@code quarkus.oidc.*} properties themselves. Without them the OIDC
 * tenant is disabled and the console starts with no OIDC server; the page then asks for a pasted token.
 *
 * <p>A configuration expression cannot say "true when two other values are set", hence this factory. Its source has
 * a low ordinal: an explicit {@code quarkus.oidc.*} value anywhere (system property, environment,
 * application.properties) wins.
 */
public class OidcSwitch implements ConfigSourceFactory {

    public static final String TENANT_ENABLED = "quarkus.oidc.tenant-enabled";
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String server = first(context, "quarkus.oidc.auth-server-url", "ROLLWATCH_OIDC_AUTH_SERVER_URL");
        String client = first(context, "quarkus.oidc.client-id", "ROLLWATCH_OIDC_CLIENT_ID");
        String secret = first(context, "quarkus.oidc.credentials.secret", "ROLLWATCH_OIDC_CLIENT_SECRET");
        Map<String, String> values = new HashMap<>();
        boolean enabled = server != null && client != null;
        values.put(TENANT_ENABLED, Boolean.toString(enabled));
        if (enabled) {
            values.put("quarkus.oidc.auth-server-url", server);
            values.put("quarkus.oidc.client-id", client);
            if (secret != null) {
                values.put("quarkus.oidc.credentials.secret", secret);
            }
        }
        return List.of(new PropertiesConfigSource(values, "rollwatch-console-oidc", ORDINAL));
    }

    private static String first(ConfigSourceContext context, String... names) {
        for (String name : names) {
            ConfigValue value = context.getValue(name);
            if (value != null && value.getValue() != null && !value.getValue().isBlank()) {
                return value.getValue();
            }
        }
        return null;
    }
}
