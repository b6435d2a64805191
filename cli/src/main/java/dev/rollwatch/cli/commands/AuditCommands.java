package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** For auditors: timeline, verify, export, replay (the audit service's API). */
public final class AuditCommands {

    private AuditCommands() {
    }

    @Command(name = "timeline", description = "A deployment's audit timeline: its events, and for each rollback "
            + "breach -> decision -> rollback -> finish -> notifications with the durations.")
    public static class Timeline implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode t = root.api().get(root.auditUrl() + "/api/v1/audit/deployments/" + id + "/timeline");
            if (root.json()) {
                root.printJson(t);
            } else {
                TimelinePrinter.lines(t, true).forEach(root.out()::println);
                root.out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", description = {"Check the audit log's hash chain and signed checkpoints.",
            "Exit 0 when intact, 4 when broken (the first bad position and why are printed)."})
    public static class Verify implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Option(names = "--from", paramLabel = "POSITION")
        Long from;

        @Option(names = "--to", paramLabel = "POSITION")
        Long to;

        @Override
        public Integer call() {
            JsonNode r = root.api().get(ApiClient.url(root.auditUrl(), "/api/v1/audit/verify",
                    ApiClient.query("from", from, "to", to)));
            if (root.json()) {
                root.printJson(r);
            } else {
                root.out().println(describe(r));
                root.out().flush();
            }
            return r.path("valid").asBoolean(false) ? ExitCodes.OK : ExitCodes.VERIFY_FAILED;
        }

        public static String describe(JsonNode r) {
            if (r.path("valid").asBoolean(false)) {
                return "audit log intact: " + r.path("entries").asLong() + " entries (positions "
                        + r.path("from").asLong() + ".." + r.path("to").asLong() + "), " + r.path("checkpoints").asLong()
                        + " signed checkpoint(s) matched, head " + abbreviate(r.path("headHash").asText("-"));
            }
            return "audit log BROKEN at position " + r.path("firstBadPosition").asText("?") + ": "
                    + r.path("reason").asText("?") + " (" + r.path("entries").asLong() + " entries verified before it)";
        }

        private static String abbreviate(String hash) {
            return hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
        }
    }

    @Command(name = "export", description = "The audit log (or one deployment's part of it) as NDJSON, one entry "
            + "per line, streamed.")
    public static class Export implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Option(names = "--deployment", paramLabel = "ID")
        String deploymentId;

        @Option(names = "--type", paramLabel = "TYPE", description = "e.g. dev.rollwatch.threshold.breached.v1")
        String type;

        @Option(names = "--after", paramLabel = "POSITION", description = "only entries after this position")
        Long after;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write to FILE (default: stdout)")
        Path file;

        @Override
        public Integer call() throws IOException {
            HttpResponse<InputStream> response = root.api().stream(ApiClient.url(root.auditUrl(),
                    "/api/v1/audit/events/stream", ApiClient.query("deploymentId", deploymentId, "type", type,
                            "after", after)), "application/x-ndjson");
            if (response.statusCode() / 100 != 2) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw root.api().failure(response.statusCode(), body);
            }
            long lines = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8));
                 PrintWriter target = file == null ? null : new PrintWriter(Files.newBufferedWriter(file))) {
                PrintWriter sink = target == null ? root.out() : target;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue; // a heartbeat
                    }
                    sink.println(line);
                    lines++;
                }
                sink.flush();
            }
            PrintWriter summary = file == null ? root.err() : root.out();
            summary.println("exported " + lines + " entr" + (lines == 1 ? "y" : "ies")
                    + (file == null ? "" : " to " + file));
            summary.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "replay", description = {"Re-publish stored events, exactly as received, to audit-replay or a "
            + "topic of your own.", "With --wait, follow the replay until it completes."})
    public static class Replay implements Callable<Integer> {

        @ParentCommand
        Rollwatch root;

        @Option(names = "--deployment", paramLabel = "ID")
        String deploymentId;

        @Option(names = "--type", paramLabel = "TYPE")
        String type;

        @Option(names = "--source", paramLabel = "SOURCE")
        String source;

        @Option(names = "--from-position", paramLabel = "N")
        Long fromPosition;

        @Option(names = "--to-position", paramLabel = "N")
        Long toPosition;

        @Option(names = "--from", paramLabel = "INSTANT", description = "event time from (ISO-8601)")
        String from;

        @Option(names = "--to", paramLabel = "INSTANT", description = "event time to, exclusive (ISO-8601)")
        String to;

        @Option(names = "--destination", paramLabel = "TOPIC", description = "default audit-replay")
        String destination;

        @Option(names = "--wait", description = "poll the replay until it is COMPLETED or FAILED")
        boolean await;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode replay = root.api().post(root.auditUrl() + "/api/v1/audit/replays", ApiClient.query(
                    "deploymentId", deploymentId, "type", type, "source", source, "fromPosition", fromPosition,
                    "toPosition", toPosition, "from", from, "to", to, "destination", destination));
            print(replay);
            String id = replay.path("id").asText();
            while (await && !finished(replay)) {
                Thread.sleep(Duration.ofMillis(500).toMillis());
                replay = root.api().get(root.auditUrl() + "/api/v1/audit/replays/" + id);
                print(replay);
            }
            return "FAILED".equals(replay.path("status").asText()) ? ExitCodes.ERROR : ExitCodes.OK;
        }

        private static boolean finished(JsonNode replay) {
            String s = replay.path("status").asText();
            return s.equals("COMPLETED") || s.equals("FAILED");
        }

        private void print(JsonNode replay) {
            if (root.json()) {
                root.out().println(replay.toString());
            } else {
                root.out().println("replay " + replay.path("id").asText() + " " + replay.path("status").asText() + ": "
                        + replay.path("published").asLong() + "/" + replay.path("total").asLong()
                        + " published to " + replay.path("destination").asText()
                        + (replay.path("error").isTextual() ? " (" + replay.path("error").asText() + ")" : ""));
            }
            root.out().flush();
        }
    }
}
