package dev.rollwatch.cli.http;

/**
 * A request that did not succeed: the server answered 4xx/5xx (its problem+json rendered as {@code title: detail}),
 * or it could not be reached. The CLI prints the message and exits 1.
 */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
