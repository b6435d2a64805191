package dev.rollwatch.events;

/** The bytes are not an event of the contract: not JSON, not a CloudEvent, an unknown type or invalid data. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
