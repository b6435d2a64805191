package dev.rollwatch.cli.commands;

import dev.rollwatch.cli.Rollwatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "watch", description = {"Follow a deployment live until it ends: steps as they start and complete,"
        + " the weight, a progress bar, status changes.",
        "Exit 0 SUCCEEDED, 2 ROLLED_BACK, 3 FAILED/ROLLBACK_FAILED/ABORTED, 5 --timeout."})
public class WatchCommand implements Callable<Integer> {

    @ParentCommand
    Rollwatch root;

    @Parameters(paramLabel = "ID", description = "the deployment id")
    String id;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "give up watching after this long (exit 5), e.g. 10m; default: no limit")
    Duration timeout;

    @Override
    public Integer call() {
        return Watching.follow(root, id, timeout).exitCode();
    }
}
