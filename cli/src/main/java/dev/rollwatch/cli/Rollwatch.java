package dev.rollwatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.auth.KeyFiles;
import dev.rollwatch.cli.commands.AuditCommands;
import dev.rollwatch.cli.commands.DeployCommand;
import dev.rollwatch.cli.commands.DeploymentCommands;
import dev.rollwatch.cli.commands.KeysCommand;
import dev.rollwatch.cli.commands.RollbackCommands;
import dev.rollwatch.cli.commands.TokenCommand;
import dev.rollwatch.cli.commands.WatchCommand;
import dev.rollwatch.cli.demo.DemoCommand;
import dev.rollwatch.cli.http.ApiClient;
import dev.rollwatch.cli.http.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * The {@code rollwatch} command: global options (service URLs, output format, token) shared by every subcommand
 * (they may be given before or after the subcommand's name).
 */
@Command(name = "rollwatch", mixinStandardHelpOptions = true, version = "rollwatch 0.1.0",
        exitCodeOnInvalidInput = ExitCodes.ERROR, exitCodeOnExecutionException = ExitCodes.ERROR,
        description = "Progressive delivery with automatic rollback: start, watch and steer deployments; audit them.",
        subcommands = {DeployCommand.class, WatchCommand.class, DeploymentCommands.Approve.class,
                DeploymentCommands.Abort.class, DeploymentCommands.Promote.class, RollbackCommands.Rollback.class,
                DeploymentCommands.ListDeployments.class, DeploymentCommands.Report.class,
                RollbackCommands.Decisions.class, RollbackCommands.Decide.class,
                RollbackCommands.Ack.class, AuditCommands.Timeline.class, AuditCommands.Verify.class,
                AuditCommands.Export.class, AuditCommands.Replay.class, DemoCommand.class, TokenCommand.class,
                KeysCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success / SUCCEEDED, 1 usage or request error, 2 ROLLED_BACK, "
                + "3 FAILED / ROLLBACK_FAILED / ABORTED, 4 audit verify failed, 5 --timeout while watching."})
public class Rollwatch {

    public enum Output { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--deploy-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_DEPLOY_URL:-http://127.0.0.1:8081}",
            description = "deploy-service (env ROLLWATCH_DEPLOY_URL, default ${DEFAULT-VALUE})")
    String deployUrl;

    @Option(names = "--monitor-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_MONITOR_URL:-http://127.0.0.1:8082}",
            description = "monitor-service (env ROLLWATCH_MONITOR_URL, default ${DEFAULT-VALUE})")
    String monitorUrl;

    @Option(names = "--rollback-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_ROLLBACK_URL:-http://127.0.0.1:8083}",
            description = "rollback-service (env ROLLWATCH_ROLLBACK_URL, default ${DEFAULT-VALUE})")
    String rollbackUrl;

    @Option(names = "--notifier-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_NOTIFIER_URL:-http://127.0.0.1:8084}",
            description = "notifier-service (env ROLLWATCH_NOTIFIER_URL, default ${DEFAULT-VALUE})")
    String notifierUrl;

    @Option(names = "--audit-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ROLLWATCH_AUDIT_URL:-http://127.0.0.1:8085}",
            description = "audit-service (env ROLLWATCH_AUDIT_URL, default ${DEFAULT-VALUE})")
    String auditUrl;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json", defaultValue = "text",
            description = "text for people (default), json for machines")
    Output output;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            defaultValue = "${env:ROLLWATCH_TOKEN}",
            description = "sent as 'Authorization: Bearer TOKEN' (env ROLLWATCH_TOKEN); mint one with 'token'")
    String token;

    private ApiClient api;

    /** A command line with the CLI's error handling: a failed request prints its problem and exits 1. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Rollwatch());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // decide ID ROLLBACK works like decide ID rollback
        usageErrorsExit1(cl);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ApiException || e instanceof UsageException || e instanceof KeyFiles.KeyException) {
                line.getErr().println("error: " + e.getMessage());
            } else {
                line.getErr().println("error: " + e);
            }
            line.getErr().flush();
            return ExitCodes.ERROR;
        });
        return cl;
    }

    /** picocli's default for a usage error is 2, which is ROLLED_BACK here: every (sub)command exits 1 instead. */
    private static void usageErrorsExit1(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.ERROR);
        cl.getSubcommands().values().forEach(Rollwatch::usageErrorsExit1);
    }

    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(token);
        }
        return api;
    }

    /** The bearer token given (--token or ROLLWATCH_TOKEN), or null. */
    public String token() {
        return token == null || token.isBlank() ? null : token.strip();
    }

    /** Sends {@code token} from now on (the demo mints its own when it is given a key and no token). */
    public void useToken(String token) {
        this.token = token;
        this.api = null;
    }

    public String deployUrl() {
        return ApiClient.stripSlash(deployUrl);
    }

    public String monitorUrl() {
        return ApiClient.stripSlash(monitorUrl);
    }

    public String rollbackUrl() {
        return ApiClient.stripSlash(rollbackUrl);
    }

    public String notifierUrl() {
        return ApiClient.stripSlash(notifierUrl);
    }

    public String auditUrl() {
        return ApiClient.stripSlash(auditUrl);
    }

    public boolean json() {
        return output == Output.json;
    }

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints a JSON answer as is (pretty), for {@code --output json}. */
    public void printJson(JsonNode node) {
        try {
            out().println(api().json().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mistake in what the user asked (exit 1, no stack trace). */
    public static class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
