package dev.rollwatch.demotarget.rest;

/** Stops a request with a problem response; thrown before anything changes. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    public ProblemException(int status, String typeSlug, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = Problem.TYPE_BASE + typeSlug;
        this.title = title;
    }

    public static ProblemException invalidSignature(String detail) {
        return new ProblemException(401, "invalid-signature", "Invalid webhook signature", detail);
    }

    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail);
    }

    public static ProblemException unknownService(String service) {
        return new ProblemException(404, "unknown-service", "Unknown service",
                "no service named '" + service + "' is deployed on this target");
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance);
    }

    public int status() {
        return status;
    }
}
