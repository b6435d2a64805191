package dev.rollwatch.cli;

/** The exit codes CI pipelines can rely on (documented in cli/README.md). */
public final class ExitCodes {

    /** Success; a watched deployment SUCCEEDED. */
    public static final int OK = 0;
    /** Bad usage, or a request failed (the server's problem printed as {@code title: detail}). */
    public static final int ERROR = 1;
    /** The watched deployment was ROLLED_BACK. */
    public static final int ROLLED_BACK = 2;
    /** The watched deployment ended FAILED, ROLLBACK_FAILED or ABORTED. */
    public static final int FAILED = 3;
    /** {@code rollwatch verify}: the audit log's integrity check failed. */
    public static final int VERIFY_FAILED = 4;
    /** {@code --timeout} passed while watching, before a terminal state. */
    public static final int TIMEOUT = 5;

    private ExitCodes() {
    }

    /** The exit code of a deployment status: terminal ones map as above; anything still moving is a timeout. */
    public static int forStatus(String status) {
        return switch (status == null ? "" : status) {
            case "SUCCEEDED" -> OK;
            case "ROLLED_BACK" -> ROLLED_BACK;
            case "FAILED", "ROLLBACK_FAILED", "ABORTED" -> FAILED;
            default -> TIMEOUT;
        };
    }

    public static boolean isTerminal(String status) {
        return switch (status == null ? "" : status) {
            case "SUCCEEDED", "ROLLED_BACK", "FAILED", "ROLLBACK_FAILED", "ABORTED" -> true;
            default -> false;
        };
    }
}
