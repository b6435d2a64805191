package dev.rollwatch.deploy.admission;

import dev.rollwatch.deploy.service.Durations;
import dev.rollwatch.platform.rest.ProblemException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deployment policy, parsed: the admission rules {@link Admission} evaluates. The empty policy (the default when
 * no scope has one) requires nothing and is always open.
 */
public record PolicyRules(List<Requirement> requires, List<Window> windows, List<Freeze> freezes) {

    public static final PolicyRules OPEN = new PolicyRules(List.of(), List.of(), List.of());
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-4]):([0-5]\\d)");

    public PolicyRules {
        requires = List.copyOf(requires);
        windows = List.copyOf(windows);
        freezes = List.copyOf(freezes);
    }

    public record Requirement(String environment, Duration minAge) {
    }

    /** Seconds of the local day: {@code from} inclusive, {@code to} exclusive (86 400 = 24:00). */
    public record Window(String name, Set<DayOfWeek> days, int fromSecond, int toSecond, ZoneId zone) {

        public boolean contains(Instant t) {
            ZonedDateTime local = t.atZone(zone);
            int second = local.toLocalTime().toSecondOfDay();
            return days.contains(local.getDayOfWeek()) && second >= fromSecond && second < toSecond;
        }

        /** E.g. {@code 'weekdays' Mon-Thu 00:00-24:00 Europe/Berlin}. */
        public String describe() {
            String dayText = days.size() == 7 ? "every day" : days.stream()
                    .map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).collect(Collectors.joining(","));
            return (name == null ? "" : "'" + name + "' ") + dayText + " " + hhmm(fromSecond) + "-" + hhmm(toSecond)
                    + " " + zone.getId();
        }
    }

    public record Freeze(Instant from, Instant to, String reason) {

        public boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /** Parses what a user wrote; a 400 invalid-deployment-policy problem names the first field that is wrong. */
    public static PolicyRules parse(PolicyDocument doc, String ownEnvironment) {
        List<Requirement> requires = new ArrayList<>();
        for (int i = 0; i < doc.requires().size(); i++) {
            PolicyDocument.Requirement r = doc.requires().get(i);
            String field = "requires[" + i + "]";
            if (r.environment().equals(ownEnvironment)) {
                throw invalid(field + ".environment", "an environment cannot require itself");
            }
            Duration minAge;
            try {
                minAge = r.minAge() == null ? Duration.ZERO : Durations.parse(r.minAge(), field + ".minAge");
            } catch (ProblemException e) {
                throw invalid(field + ".minAge", e.getMessage());
            }
            requires.add(new Requirement(r.environment(), minAge == null ? Duration.ZERO : minAge));
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < doc.windows().size(); i++) {
            PolicyDocument.Window w = doc.windows().get(i);
            String field = "windows[" + i + "]";
            int from = seconds(w.from(), field + ".from");
            int to = seconds(w.to(), field + ".to");
            if (from >= to) {
                throw invalid(field, "from " + w.from() + " must be before to " + w.to()
                        + " (a window over midnight is two windows: until 24:00, and from 00:00 the next day)");
            }
            ZoneId zone;
            try {
                zone = w.zone() == null || w.zone().isBlank() ? ZoneOffset.UTC : ZoneId.of(w.zone().trim());
            } catch (DateTimeException e) {
                throw invalid(field + ".zone", "'" + w.zone() + "' is not a time zone (e.g. Europe/Berlin, UTC)");
            }
            windows.add(new Window(w.name() == null || w.name().isBlank() ? null : w.name().trim(),
                    days(w.days(), field + ".days"), from, to, zone));
        }
        List<Freeze> freezes = new ArrayList<>();
        for (int i = 0; i < doc.freezes().size(); i++) {
            PolicyDocument.Freeze f = doc.freezes().get(i);
            String field = "freezes[" + i + "]";
            Instant from = instant(f.from(), field + ".from");
            Instant to = instant(f.to(), field + ".to");
            if (!from.isBefore(to)) {
                throw invalid(field, "from must be before to");
            }
            freezes.add(new Freeze(from, to, f.reason().trim()));
        }
        return new PolicyRules(requires, windows, freezes);
    }

    static String hhmm(int second) {
        return "%02d:%02d".formatted(second / 3600, second / 60 % 60);
    }

    private static int seconds(String text, String field) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches() || m.group(1).equals("24") && !m.group(2).equals("00")) {
            throw invalid(field, "'" + text + "' is not a time of day HH:mm (00:00 to 24:00)");
        }
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60;
    }

    private static Set<DayOfWeek> days(List<String> names, String field) {
        if (names == null || names.isEmpty()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String name : names) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            DayOfWeek day = null;
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().equals(n) || d.name().substring(0, 3).equals(n)) {
                    day = d;
                }
            }
            if (day == null) {
                throw invalid(field, "'" + name + "' is not a day (MON…SUN or MONDAY…SUNDAY)");
            }
            days.add(day);
        }
        return days;
    }

    private static Instant instant(String text, String field) {
        try {
            return java.time.OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeException e) {
            throw invalid(field, "'" + text + "' is not an RFC 3339 instant (e.g. 2026-12-24T00:00:00Z)");
        }
    }

    private static ProblemException invalid(String field, String detail) {
        return ProblemException.badRequest("invalid-deployment-policy", field + ": " + detail).with("field", field);
    }
}
