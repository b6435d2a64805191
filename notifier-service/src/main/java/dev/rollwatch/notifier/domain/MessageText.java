package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.CheckResult;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pieces {@link MessageRenderer}'s messages are made of, said the same way in every one of them: a time of day
 * ("14:32 UTC"), a duration ("1 h 30 min"), a number without a needless ".0", a response target ("respond within
 * 15 min (P1), by 14:32 UTC"), a policy pack, a list of check results. Pure and stateless.
 */
final class MessageText {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private MessageText() {
    }

    static String checks(List<CheckResult> checks) {
        StringBuilder sb = new StringBuilder();
        for (CheckResult r : checks) {
            sb.append("\n- ").append(r.name()).append(r.metric() != null ? " (" + r.metric() + ")" : "")
                    .append(": ").append(r.verdict());
            if (r.observed() != null) {
                sb.append(", last ").append(number(r.observed()));
            }
            if (r.min() != null || r.max() != null) {
                sb.append(" (min ").append(r.min() == null ? "-" : number(r.min())).append(", max ")
                        .append(r.max() == null ? "-" : number(r.max())).append(")");
            }
            sb.append(", ").append(r.measurements()).append(" measurement(s), ").append(r.failures())
                    .append(" failure(s)");
            if (r.message() != null) {
                sb.append(": ").append(r.message());
            }
        }
        return sb.toString();
    }

    /**
     * "Respond within 15 min (P1), by 14:32 UTC": the response target of a severity (runbook 002: P0 &lt; 5 min, P1
     * &lt; 15 min, P2 &lt; 30 min; P3 has none) and the time it ends; null when there is neither.
     */
    static String respond(String verb, Severity severity, Instant by) {
        Duration target = severity == null ? null : severity.responseTarget();
        if (target == null && by == null) {
            return null;
        }
        return verb + (target != null ? " within " + duration(target) + " (" + severity + ")" : "")
                + (by != null ? (target != null ? ", by " : " by ") + clock(by) : "");
    }

    static Instant plus(Instant at, Severity severity) {
        return at == null || severity == null || severity.responseTarget() == null ? null
                : at.plus(severity.responseTarget());
    }

    static String target(Severity severity) {
        return severity == null || severity.responseTarget() == null ? ""
                : " (" + duration(severity.responseTarget()) + ", " + severity + ")";
    }

    static String pack(String pack, String seedRule) {
        if (pack == null && seedRule == null) {
            return null;
        }
        return "Policy pack: " + orUnknown(pack) + (seedRule != null ? ", runbook rule: " + seedRule : "");
    }

    static String line(String text) {
        return text == null ? "" : "\n" + text;
    }

    static String clock(Instant at) {
        return at == null ? "(unknown)" : CLOCK.format(at) + " UTC";
    }

    /** 90 s, 15 min, 1 h, 1 h 30 min, 2 d. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + " d";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long rest = s % 60;
        String text = (h > 0 ? h + " h" : "") + (m > 0 ? (h > 0 ? " " : "") + m + " min" : "")
                + (rest > 0 ? " " + rest + " s" : "");
        return text.strip();
    }

    static String metOrNot(boolean met) {
        return met ? "met" : "not met";
    }

    static String signed(double value) {
        return (value > 0 ? "+" : "") + number(value);
    }

    static String window(ThresholdBreached b) {
        return b.window() != null ? ", window " + b.window() : "";
    }

    static String values(List<Double> observed) {
        return observed.isEmpty() ? "no values"
                : observed.stream().map(MessageText::number).collect(Collectors.joining(", "));
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    static String orUnknown(String version) {
        return version == null ? "(unknown)" : version;
    }
}
