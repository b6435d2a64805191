package dev.rollwatch.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "deploy", description = {"Start a deployment from a YAML or JSON file (the body of POST "
        + "/api/v1/deployments) and print its id.", "With --watch, follow it like 'watch' and exit as it ends."})
public class DeployCommand implements Callable<Integer> {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParentCommand
    Rollwatch root;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "deployment.yaml, .yml or .json ('-' reads JSON or YAML from stdin)")
    Path file;

    @Option(names = "--watch", description = "follow the deployment until it ends")
    boolean watch;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "makes a retried request answer the first deployment instead of starting a second")
    String idempotencyKey;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "with --watch: give up watching after this long (exit 5)")
    Duration timeout;

    @Override
    public Integer call() throws IOException {
        JsonNode body = read(file);
        JsonNode created = root.api().post(root.deployUrl() + "/api/v1/deployments", body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        String id = created.path("id").asText();
        if (root.json() && !watch) {
            root.printJson(created);
            return ExitCodes.OK;
        }
        if (!root.json()) {
            root.out().println(id);
            root.out().flush();
        }
        return watch ? Watching.follow(root, id, timeout).exitCode() : ExitCodes.OK;
    }

    /** The request body: a YAML document becomes the same JSON a .json file would hold. */
    public static JsonNode read(Path file) throws IOException {
        String text = "-".equals(file.toString()) ? new String(System.in.readAllBytes())
                : Files.readString(file);
        return parse(text, file.toString());
    }

    public static JsonNode parse(String text, String name) {
        String lower = name.toLowerCase();
        try {
            JsonNode node = lower.endsWith(".json") ? ApiClient.JSON.readTree(text) : YAML.readTree(text);
            if (node == null || !node.isObject()) {
                throw new Rollwatch.UsageException(name + ": a deployment is a mapping (service, environment, "
                        + "version, target, strategy, analysis)");
            }
            return node;
        } catch (IOException e) {
            throw new Rollwatch.UsageException(name + " is not valid " + (lower.endsWith(".json") ? "JSON" : "YAML")
                    + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
