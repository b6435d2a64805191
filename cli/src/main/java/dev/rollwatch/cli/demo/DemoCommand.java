package dev.rollwatch.cli.demo;

import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.commands.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "demo", description = {"The Rollwatch story on a running stack (./rollwatch up): a good version "
        + "walks canary 5%% -> 25%% -> 100%% and succeeds; a bad one is caught at the canary, rolled back "
        + "automatically, alerted on, and its audit timeline and the log's integrity check are printed.",
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

    @Override
    public Integer call() {
        return new DemoStory(root, new DemoStory.Settings(service, environment, targetUrl, analysis, timeout)).run();
    }
}
