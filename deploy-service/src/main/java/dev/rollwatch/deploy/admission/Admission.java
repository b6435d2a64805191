package dev.rollwatch.deploy.admission;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a deployment may start now: a pure function of the policy, the version's successes in other environments
 * and {@code now}. Each broken rule is a {@link Violation}; none means admitted.
 */
public final class Admission {

    public static final String ENVIRONMENT_ORDER = "environment-order";
    public static final String OUTSIDE_WINDOW = "outside-deployment-window";

    private Admission() {
    }

    /** A deployment of the same service that finished SUCCEEDED (and was not rolled back since). */
    public record Success(String environment, String version, Instant finishedAt) {
    }

    /** A broken rule: its problem type, a sentence for people, and the facts as problem extension members. */
    public record Violation(String type, String detail, Map<String, Object> facts) {
    }

    public static List<Violation> evaluate(PolicyRules rules, String environment, String version,
            List<Success> successes, Instant now) {
        List<Violation> violations = new ArrayList<>();
        for (PolicyRules.Requirement r : rules.requires()) {
            order(r, environment, version, successes, now).ifPresent(violations::add);
        }
        window(rules, environment, now).ifPresent(violations::add);
        return violations;
    }

    static Optional<Violation> order(PolicyRules.Requirement r, String environment, String version,
            List<Success> successes, Instant now) {
        Optional<Instant> first = successes.stream()
                .filter(s -> s.environment().equals(r.environment()) && s.version().equals(version))
                .map(Success::finishedAt).min(Comparator.naturalOrder());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("requiredEnvironment", r.environment());
        facts.put("version", version);
        facts.put("minAge", r.minAge().toString());
        String rule = environment + " requires version " + version + " to have SUCCEEDED in " + r.environment()
                + (r.minAge().isZero() ? "" : " at least " + human(r.minAge()) + " before");
        if (first.isEmpty()) {
            facts.put("succeededAt", null);
            facts.put("allowedFrom", null);
            return Optional.of(new Violation(ENVIRONMENT_ORDER, rule + "; it has not succeeded there", facts));
        }
        Instant allowedFrom = first.get().plus(r.minAge());
        if (!now.isBefore(allowedFrom)) {
            return Optional.empty();
        }
        facts.put("succeededAt", first.get().toString());
        facts.put("allowedFrom", allowedFrom.toString());
        return Optional.of(new Violation(ENVIRONMENT_ORDER, rule + "; it succeeded there at " + first.get()
                + ", so it may start from " + allowedFrom, facts));
    }

    static Optional<Violation> window(PolicyRules rules, String environment, Instant now) {
        Optional<PolicyRules.Freeze> freeze = rules.freezes().stream().filter(f -> f.contains(now))
                .max(Comparator.comparing(PolicyRules.Freeze::to));
        boolean inWindow = inWindow(rules, now);
        if (freeze.isEmpty() && inWindow) {
            return Optional.empty();
        }
        Optional<Instant> next = nextOpening(rules, now);
        Map<String, Object> facts = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        if (freeze.isPresent()) {
            PolicyRules.Freeze f = freeze.get();
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("from", f.from().toString());
            described.put("to", f.to().toString());
            described.put("reason", f.reason());
            facts.put("freeze", described);
            parts.add(environment + " is frozen from " + f.from() + " to " + f.to() + ": " + f.reason());
        }
        if (!inWindow) {
            List<String> windows = rules.windows().stream().map(PolicyRules.Window::describe).toList();
            facts.put("windows", windows);
            parts.add("deployments to " + environment + " may start only within " + String.join("; ", windows));
        }
        facts.put("nextOpening", next.map(Instant::toString).orElse(null));
        return Optional.of(new Violation(OUTSIDE_WINDOW, String.join("; ", parts)
                + next.map(n -> "; next opening " + n).orElse("; no opening within a year"), facts));
    }

    /** True when {@code t} is inside a window (or the policy has none) and outside every freeze. */
    public static boolean isOpen(PolicyRules rules, Instant t) {
        return inWindow(rules, t) && rules.freezes().stream().noneMatch(f -> f.contains(t));
    }

    private static boolean inWindow(PolicyRules rules, Instant t) {
        return rules.windows().isEmpty() || rules.windows().stream().anyMatch(w -> w.contains(t));
    }

    /**
     * The first instant at or after {@code now} when a deployment may start: a window's start or a freeze's end
     * (the only moments the answer can change from closed to open), searched up to a year after the last freeze.
     */
    public static Optional<Instant> nextOpening(PolicyRules rules, Instant now) {
        Instant horizon = rules.freezes().stream().map(PolicyRules.Freeze::to).max(Comparator.naturalOrder())
                .filter(now::isBefore).orElse(now).plus(Duration.ofDays(8));
        if (horizon.isAfter(now.plus(Duration.ofDays(366)))) {
            horizon = now.plus(Duration.ofDays(366));
        }
        TreeSet<Instant> candidates = new TreeSet<>();
        candidates.add(now);
        rules.freezes().forEach(f -> candidates.add(f.to()));
        for (PolicyRules.Window w : rules.windows()) {
            LocalDate day = now.atZone(w.zone()).toLocalDate().minusDays(1);
            LocalDate last = horizon.atZone(w.zone()).toLocalDate();
            for (; !day.isAfter(last); day = day.plusDays(1)) {
                if (w.days().contains(day.getDayOfWeek())) {
                    candidates.add(day.atTime(LocalTime.ofSecondOfDay(w.fromSecond())).atZone(w.zone()).toInstant());
                }
            }
        }
        for (Instant c : candidates.tailSet(now, true)) {
            if (c.isAfter(horizon)) {
                break;
            }
            if (isOpen(rules, c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static String human(Duration d) {
        if (d.toMinutes() % 60 == 0 && d.toHours() > 0 && d.toSecondsPart() == 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
