package dev.rollwatch.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The console's settings (prefix {@code rollwatch.console}); each can be set by environment variable too. */
@ConfigMapping(prefix = "rollwatch.console")
public interface ConsoleConfig {

    /** Where each service's REST API is: {@code /api/<svc>/<rest>} goes to {@code <upstream>/api/v1/<rest>}. */
    Upstreams upstream();

    Proxy proxy();

    interface Upstreams {
        /** {@code ROLLWATCH_CONSOLE_UPSTREAM_DEPLOY}. */
        @WithDefault("http://127.0.0.1:8081")
        String deploy();

        @WithDefault("http://127.0.0.1:8082")
        String monitor();

        @WithDefault("http://127.0.0.1:8083")
        String rollback();

        @WithDefault("http://127.0.0.1:8084")
        String notifier();

        @WithDefault("http://127.0.0.1:8085")
        String audit();

        /** The upstream base URL of {@code service}, or empty when the console proxies no such service. */
        default Optional<String> of(String service) {
            return Optional.ofNullable(switch (service) {
                case "deploy" -> deploy();
                case "monitor" -> monitor();
                case "rollback" -> rollback();
                case "notifier" -> notifier();
                case "audit" -> audit();
                default -> null;
            });
        }
    }

    interface Proxy {
        /** How long to wait for a TCP connection to a service before answering 502. */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * The longest a proxied request may take, from receipt to the last byte of the answer, before the console
         * gives up (504 when nothing was sent yet). Event streams ({@code text/event-stream}) are not bounded.
         */
        @WithDefault("30s")
        Duration deadline();
    }
}
