package dev.rollwatch.cli.demo;

import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.auth.KeyFiles;
import dev.rollwatch.cli.auth.TokenMinter;
import dev.rollwatch.cli.commands.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "demo", description = {"The Rollwatch story on a running stack (./rollwatch up): a good version "
        + "walks canary 5%% -> 25%% -> 100%% and succeeds; a bad one is caught at the canary, rolled back "
        + "automatically, alerted on, and its audit timeline and the log's integrity check are printed.",
        "It sends the token it is given (--token, ROLLWATCH_TOKEN; ./rollwatch demo passes one), or mints its own "
                + "from --key (roles deployer, operator, auditor, admin; subject demo; 1 hour).",
        "Exit 0 when the story went as told, 1 otherwise."})
public class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Rollwatch root;

    @Option(names = "--service", defaultValue = "checkout", description = "default ${DEFAULT-VALUE}")
    String service;

    @Option(names = "--environment", defaultValue = "production", description = "default ${DEFAULT-VALUE}")
    String environment;

    @Option(names = "--target-url", paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_TARGET_URL:-http://127.0.0.1:8090}",
            description = "demo-target (env ROLLWATCH_TARGET_URL, default ${DEFAULT-VALUE})")
    String targetUrl;

    @Option(names = "--analysis", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "length of each canary analysis step (default ${DEFAULT-VALUE})")
    Duration analysis;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "150s", converter = DurationConverter.class,
            description = "longest wait for each deployment to end (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--key", paramLabel = "FILE",
            description = "without a token: mint one signed by this private key (e.g. var/keys/jwt-private.pem)")
    Path key;

    /** The roles the story needs: start (deployer), approve/abort (operator), alerts (admin), the audit log. */
    static final List<String> ROLES = List.of("deployer", "operator", "auditor", "admin");
    static final String SUBJECT = "demo";
    /** Who approves a gate the story waits at: not the requester (deploy-service refuses a self-approval). */
    static final String APPROVER = "demo-oncall";
    /** The approver's token, when the story is given its token rather than a key (./rollwatch demo sets it). */
    static final String APPROVER_TOKEN_ENV = "ROLLWATCH_DEMO_APPROVER_TOKEN";

    @Override
    public Integer call() {
        if (root.token() == null && key != null) {
            root.useToken(TokenMinter.mint(KeyFiles.readPrivateKey(key), new TokenMinter.Claims(
                    TokenMinter.issuerFromEnvironment(), SUBJECT, TokenMinter.audienceFromEnvironment(), ROLES,
                    List.of("*"), Instant.now(), Duration.ofHours(1))));
        }
        String approverToken = System.getenv(APPROVER_TOKEN_ENV);
        if ((approverToken == null || approverToken.isBlank()) && key != null) {
            approverToken = TokenMinter.mint(KeyFiles.readPrivateKey(key), new TokenMinter.Claims(
                    TokenMinter.issuerFromEnvironment(), APPROVER, TokenMinter.audienceFromEnvironment(),
                    List.of("operator"), List.of("*"), Instant.now(), Duration.ofHours(1)));
        }
        return new DemoStory(root, new DemoStory.Settings(service, environment, targetUrl, analysis, timeout,
                approverToken == null || approverToken.isBlank() ? null : approverToken)).run();
    }
}
