package dev.rollwatch.deploy.driver;

/** A target call that failed for good: a 4xx answer, or 5xx/timeouts on every attempt. */
public class DriverException extends RuntimeException {

    private final int attempts;

    public DriverException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
