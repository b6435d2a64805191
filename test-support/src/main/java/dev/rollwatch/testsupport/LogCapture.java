package dev.rollwatch.testsupport;

import org.jboss.logmanager.ExtLogRecord;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every log record of this JVM (the service under a {@code @QuarkusTest} included) from {@link #start()} to
 * {@link #stop()}, formatted as the log would show it with the stack traces, for tests that assert what must never
 * be logged: a bearer token, a secret.
 */
public final class LogCapture {

    /** The base64url of {@link TestTokens}' JWT header: any token of the tests starts with it. */
    public static final String JWT_HEADER = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture.handler);
        return capture;
    }

    public void stop() {
        Logger.getLogger("").removeHandler(handler);
    }

    /** The captured records as text: the formatted message, then the stack trace of any throwable. */
    public List<String> lines() {
        return records.stream().map(LogCapture::format).toList();
    }

    /**
     * Fails, listing each offending line, when a captured record contains a JWT of the tests or any of
     * {@code secrets}; also fails when nothing was captured (the capture would prove nothing).
     */
    public void assertNoneContains(Collection<String> secrets) {
        List<String> lines = lines();
        if (lines.isEmpty()) {
            throw new AssertionError("no log record was captured: the capture is not attached to the service's log");
        }
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(JWT_HEADER)) {
                leaks.add("a token: " + abbreviate(line));
            }
            for (String secret : secrets) {
                if (secret != null && !secret.isEmpty() && line.contains(secret)) {
                    leaks.add("'" + abbreviate(secret) + "' in: " + abbreviate(line));
                }
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("the log contains what it must not:\n" + String.join("\n", leaks));
        }
    }

    static String format(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        if (message == null) {
            message = "";
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            message = message + "\n" + trace;
        }
        return message;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
    }
}
