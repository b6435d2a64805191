package dev.rollwatch.notifier.domain;

import dev.rollwatch.events.ApprovalRequested;
import dev.rollwatch.events.BakeCheckpoint;
import dev.rollwatch.events.DeploymentFinished;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventData;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackDecided;
import dev.rollwatch.events.RollbackEscalated;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.StepCompleted;
import dev.rollwatch.events.ThresholdBreached;

import java.time.Duration;
import java.time.Instant;

/**
 * Grouping of repeated alerts, as pure functions. Two events are "the same alert" when they are about the same
 * deployment and have the same alert key: the topic, plus the check and severity for a breach, or the outcome for
 * a completed rollback, a verification or a finished deployment, the rule and severity for an escalation, the action,
 * check and severity for a decision, the step for a phase reached or a gate waiting, the checkpoint for a bake
 * checkpoint (so "5 %" never swallows "25 %", nor checkpoint 15 min the one at 30 min). A repeat within
 * {@code window} of the delivery that was sent is grouped into it (counted, not sent); the first repeat after the
 * window is sent again and says how many repeats were grouped. So a receiver gets at most one message per alert per
 * window. A P0 is never grouped ({@link #groupable}): every P0 page goes out.
 */
public final class FloodControl {

    private final Duration window;

    public FloodControl(Duration window) {
        this.window = window;
    }

    public Duration window() {
        return window;
    }

    /** The alert key of an event (the deployment is matched separately). */
    public static String alertKey(Envelope<? extends EventData> event) {
        String slug = AlertKind.of(event.type()).map(AlertKind::slug).orElse(event.type().topic());
        EventData data = event.data();
        if (data instanceof ThresholdBreached b) {
            return slug + "/" + b.check() + "/" + b.severity();
        }
        if (data instanceof RollbackCompleted c) {
            return slug + "/" + c.outcome();
        }
        if (data instanceof DeploymentFinished f) {
            return slug + "/" + f.outcome();
        }
        if (data instanceof RollbackEscalated e) {
            return slug + "/" + e.rule() + "/" + e.severity();
        }
        if (data instanceof RollbackDecided d) {
            return slug + "/" + d.action() + "/" + d.check() + "/" + d.severity();
        }
        if (data instanceof RollbackVerified v) {
            return slug + "/" + v.outcome();
        }
        if (data instanceof StepCompleted s) {
            return slug + "/" + s.stepIndex() + "/" + s.weight();
        }
        if (data instanceof ApprovalRequested a) {
            return slug + "/" + a.stepIndex();
        }
        if (data instanceof BakeCheckpoint b) {
            return slug + "/" + b.index() + "/" + b.after();
        }
        return slug;
    }

    /** Whether an alert of this severity may be grouped at all: a P0 never is (it is the page that must go out). */
    public static boolean groupable(Severity severity) {
        return severity != Severity.P0;
    }

    /** Whether an alert recorded at {@code now} is grouped into a sent one recorded at {@code sentAt}. */
    public boolean groups(Instant sentAt, Instant now) {
        return !window.isZero() && !window.isNegative() && now.isBefore(sentAt.plus(window));
    }

    /** The line a sent alert carries when earlier repeats were grouped, or null. */
    public static String repeatsLine(int groupedRepeats) {
        return groupedRepeats <= 0 ? null : "Repeats: " + groupedRepeats + " earlier repeat(s) of this alert were "
                + "grouped into the previous message";
    }

    /** {@code text} with {@code line} put before its links (or at the end when it has none). */
    public static String withLine(String text, String line) {
        if (line == null) {
            return text;
        }
        int links = text.indexOf("\nDeployment: ");
        return links < 0 ? text + "\n" + line : text.substring(0, links) + "\n" + line + text.substring(links);
    }
}
