package dev.rollwatch.cli.commands;

import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.auth.KeyFiles;
import dev.rollwatch.cli.auth.TokenMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "token", description = {"Print a bearer token (RS256 JWT) signed by the local key, for --token or "
        + "ROLLWATCH_TOKEN: T=$(rollwatch token --role deployer --service checkout).",
        "Roles: deployer, operator, auditor, admin, agent (docs/security.md). A token acts only on the services "
                + "given with --service ('*' for all); without it, only an admin-only token reaches any service."})
public class TokenCommand implements Callable<Integer> {

    @ParentCommand
    Rollwatch root;

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "var/keys/jwt-private.pem",
            description = "the PKCS#8 private key ('rollwatch keys' makes it; default ${DEFAULT-VALUE})")
    Path key;

    @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
            description = "a role for the groups claim; repeat or separate with commas")
    List<String> roles;

    @Option(names = "--service", split = ",", paramLabel = "NAME",
            description = "a service it may act on (the services claim); repeat or separate with commas; '*' for "
                    + "all; none: no claim")
    List<String> services;

    @Option(names = "--subject", paramLabel = "WHO", defaultValue = "${env:USER:-local}",
            description = "the subject, recorded as who did what (default: $USER or local, here ${DEFAULT-VALUE})")
    String subject;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "lifetime (default ${DEFAULT-VALUE}; 15m, 8h, PT30M)")
    Duration ttl;

    @Option(names = "--issuer", paramLabel = "ISS", defaultValue = "${env:ROLLWATCH_JWT_ISSUER:-rollwatch-local}",
            description = "iss (env ROLLWATCH_JWT_ISSUER, default ${DEFAULT-VALUE})")
    String issuer;

    @Option(names = "--audience", paramLabel = "AUD", defaultValue = "${env:ROLLWATCH_JWT_AUDIENCE:-rollwatch}",
            description = "aud (env ROLLWATCH_JWT_AUDIENCE, default ${DEFAULT-VALUE})")
    String audience;

    @Override
    public Integer call() {
        List<String> roleList = clean(roles);
        for (String r : roleList) {
            if (!TokenMinter.ROLES.contains(r)) {
                throw new Rollwatch.UsageException("unknown role '" + r + "': one of "
                        + String.join(", ", TokenMinter.ROLES));
            }
        }
        List<String> serviceList = clean(services);
        TokenMinter.Claims claims;
        try {
            claims = new TokenMinter.Claims(issuer, subject, audience, roleList, serviceList, Instant.now(), ttl);
        } catch (IllegalArgumentException e) {
            throw new Rollwatch.UsageException(e.getMessage());
        }
        String token = TokenMinter.mint(KeyFiles.readPrivateKey(key), claims);
        // Without a services claim a token acts on no service, unless admin is its only role (docs/security.md).
        if (serviceList.isEmpty() && !roleList.stream().allMatch("admin"::equals)) {
            root.err().println("warning: without --service this token may act on no service (--service checkout,"
                    + " or --service '*' for all)");
            root.err().flush();
        }
        root.out().println(token);
        root.out().flush();
        return ExitCodes.OK;
    }

    private static List<String> clean(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.strip());
                }
            }
        }
        return new ArrayList<>(out);
    }
}
