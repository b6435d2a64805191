package dev.rollwatch.cli;

/** {@code java -jar rollwatch-cli.jar <command> ...}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Rollwatch.commandLine().execute(args));
    }
}
