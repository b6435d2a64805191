package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.service.StepMachine.Command;
import dev.rollwatch.deploy.service.StepMachine.Event;
import dev.rollwatch.deploy.service.StepMachine.Snapshot;
import dev.rollwatch.deploy.service.StepMachine.State;
import dev.rollwatch.deploy.service.StepMachine.Step;
import dev.rollwatch.deploy.service.StepMachine.Transition;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.rollwatch.deploy.domain.DeploymentStatus.AWAITING_APPROVAL;
import static dev.rollwatch.deploy.domain.DeploymentStatus.FAILED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.PAUSED;
import static dev.rollwatch.deploy.domain.DeploymentStatus.ROLLING_BACK;
import static dev.rollwatch.deploy.domain.DeploymentStatus.RUNNING;
import static dev.rollwatch.deploy.domain.DeploymentStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The step engine's state machine as a table: each row is a deployment (status, step, weight, the step's row and
 * verdict), an event and a time, and the state, commands and call that must follow. No database, no clock.
 */
class StepMachineTest {

    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-0000000000d1");
    private static final SmokeCheck CHECK = new SmokeCheck("https://svc.example/health", "GET", 200, null, null, null);
    /** setWeight 5, smoke, analysis 10m, gate, setWeight 25, pause 1m, setWeight 100. */
    private static final List<StepSpec> PLAN = List.of(StepSpec.setWeight(5), StepSpec.smoke(List.of(CHECK)),
            StepSpec.analysis(Duration.ofMinutes(10)), StepSpec.pause(null), StepSpec.setWeight(25),
            StepSpec.pause(Duration.ofMinutes(1)), StepSpec.setWeight(100));
    private static final DeploymentTarget TARGET = new DeploymentTarget(ID, "http", "http://127.0.0.1:1/target",
            "checkout", "prod", "2.3.0", "2.4.0");

    private final StepMachine machine = new StepMachine(GRACE);

    static Snapshot at(DeploymentStatus status, int currentStep, int weight, Step step) {
        return new Snapshot(ID, status, currentStep, weight, 0, PLAN, PLAN.size(), TARGET, "2.4.0", "2.3.0", "2.3.0",
                null, null, null, step);
    }

    static Step open(int index, Instant deadline) {
        return Step.open(index, deadline);
    }

    static Step closed(int index) {
        return new Step(index, false, null, null, null);
    }

    static Step verdict(int index, Verdict verdict, String detail) {
        return new Step(index, true, NOW.minusSeconds(60), verdict, detail);
    }

    static State state(DeploymentStatus status, int step, int weight) {
        return new State(status, step, weight);
    }

    /** Run: what the engine does next for each kind of step and status. */
    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of("a step not started yet is started, then asked again",
                        at(RUNNING, 0, 0, null), state(RUNNING, 0, 0),
                        List.of(new Command.StartStep(0, PLAN.get(0))), Work.NONE, true),
                Arguments.of("a step an earlier transaction closed is passed over",
                        at(RUNNING, 2, 5, closed(2)), state(RUNNING, 3, 5), List.of(new Command.MoveOn(2)),
                        Work.NONE, true),
                Arguments.of("an open setWeight step calls the target",
                        at(RUNNING, 0, 0, open(0, null)), state(RUNNING, 0, 0), List.of(),
                        new Work.SetWeight(0, TARGET, 5, "msg_" + ID + "_step0_traffic"), false),
                Arguments.of("an open smoke step runs its checks",
                        at(RUNNING, 1, 5, open(1, null)), state(RUNNING, 1, 5), List.of(),
                        new Work.Smoke(1, TARGET, List.of(CHECK)), false),
                Arguments.of("a gate (a pause without duration) waits for approval",
                        at(RUNNING, 3, 5, open(3, null)), state(AWAITING_APPROVAL, 3, 5),
                        List.of(new Command.AwaitApproval(3, "go/no-go gate, waiting for approval")), Work.NONE,
                        false),
                Arguments.of("a timed pause not yet due waits",
                        at(RUNNING, 5, 25, open(5, NOW.plusMillis(1))), state(RUNNING, 5, 25), List.of(),
                        Work.NONE, false),
                Arguments.of("a timed pause due now succeeds and the rollout goes on",
                        at(RUNNING, 5, 25, open(5, NOW)), state(RUNNING, 6, 25),
                        List.of(new Command.CompleteStep(5, StepStatus.SUCCEEDED, "paused PT1M", null)), Work.NONE,
                        true),
                Arguments.of("an analysis without a verdict within its grace waits",
                        at(RUNNING, 2, 5, open(2, NOW.minus(GRACE).plusMillis(1))), state(RUNNING, 2, 5),
                        List.of(), Work.NONE, false),
                Arguments.of("an analysis without a verdict past its grace is INCONCLUSIVE: a person decides",
                        at(RUNNING, 2, 5, open(2, NOW.minus(GRACE))), state(AWAITING_APPROVAL, 2, 5),
                        List.of(new Command.NoteStep(2, "no analysis verdict by " + NOW + ": INCONCLUSIVE"),
                                new Command.AwaitApproval(2, "analysis inconclusive: no analysis verdict by " + NOW
                                        + ": INCONCLUSIVE")), Work.NONE, false),
                Arguments.of("a SUCCESSFUL verdict closes the analysis and the rollout goes on",
                        at(RUNNING, 2, 5, verdict(2, Verdict.SUCCESSFUL, null)), state(RUNNING, 3, 5),
                        List.of(new Command.CompleteStep(2, StepStatus.SUCCEEDED, "analysis SUCCESSFUL",
                                Verdict.SUCCESSFUL)), Work.NONE, true),
                Arguments.of("a SUCCESSFUL verdict counts before the deadline too",
                        at(RUNNING, 2, 5, new Step(2, true, NOW.plusSeconds(600), Verdict.SUCCESSFUL, "ok")),
                        state(RUNNING, 3, 5), List.of(new Command.CompleteStep(2, StepStatus.SUCCEEDED,
                                "analysis SUCCESSFUL: ok", Verdict.SUCCESSFUL)), Work.NONE, true),
                Arguments.of("a FAILED verdict halts the rollout for the rollback decision",
                        at(RUNNING, 2, 5, verdict(2, Verdict.FAILED, "error_rate 0.02 > 0.005")),
                        state(PAUSED, 2, 5),
                        List.of(new Command.CompleteStep(2, StepStatus.FAILED,
                                        "analysis FAILED: error_rate 0.02 > 0.005", Verdict.FAILED),
                                new Command.Halt("step 2 analysis FAILED: error_rate 0.02 > 0.005; awaiting the "
                                        + "rollback decision")), Work.NONE, false),
                Arguments.of("an ERROR verdict halts as FAILED does",
                        at(RUNNING, 2, 5, verdict(2, Verdict.ERROR, null)), state(PAUSED, 2, 5),
                        List.of(new Command.CompleteStep(2, StepStatus.FAILED, "analysis ERROR", Verdict.ERROR),
                                new Command.Halt("step 2 analysis ERROR; awaiting the rollback decision")),
                        Work.NONE, false),
                Arguments.of("an INCONCLUSIVE verdict waits for a person, the step left open",
                        at(RUNNING, 2, 5, verdict(2, Verdict.INCONCLUSIVE, "no samples")),
                        state(AWAITING_APPROVAL, 2, 5),
                        List.of(new Command.NoteStep(2, "analysis INCONCLUSIVE: no samples"),
                                new Command.AwaitApproval(2, "analysis inconclusive: analysis INCONCLUSIVE: no "
                                        + "samples")), Work.NONE, false),
                Arguments.of("past the last step: finalize the target",
                        at(RUNNING, PLAN.size(), 100, null), state(RUNNING, PLAN.size(), 100), List.of(),
                        new Work.Finalize(TARGET, "2.4.0", "msg_" + ID + "_finalize"), false),
                Arguments.of("rolling back: the rollback call to the previous version",
                        at(ROLLING_BACK, 4, 25, null), state(ROLLING_BACK, 4, 25), List.of(),
                        new Work.Rollback(TARGET, "2.3.0", "msg_" + ID + "_rollback"), false),
                Arguments.of("rolling back with a step back: the traffic call to the previous phase's weight",
                        stepBack(at(ROLLING_BACK, 4, 25, null), 5, 1), state(ROLLING_BACK, 4, 25), List.of(),
                        new Work.StepBack(TARGET, 5, "msg_" + ID + "_stepback1_traffic"), false),
                Arguments.of("a re-run after a step back calls with the attempt's own webhook-id",
                        stepBack(at(RUNNING, 4, 5, open(4, null)), null, 1), state(RUNNING, 4, 5), List.of(),
                        new Work.SetWeight(4, TARGET, 25, "msg_" + ID + "_step4_traffic_1"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void run(String situation, Snapshot before, State after, List<Command> commands, Work work, boolean again) {
        Transition t = machine.next(before, Event.RUN, NOW);
        assertThat(t.state()).as("state").isEqualTo(after);
        assertThat(t.commands()).as("commands").isEqualTo(commands);
        assertThat(t.work()).as("call").isEqualTo(work);
        assertThat(t.again()).as("asked again").isEqualTo(again);
    }

    /** A deployment that is not RUNNING or ROLLING_BACK has nothing for the engine to do, whatever its step is. */
    @ParameterizedTest
    @EnumSource(value = DeploymentStatus.class, names = {"PENDING", "AWAITING_APPROVAL", "PAUSED", "SUCCEEDED",
            "ROLLED_BACK", "ROLLBACK_FAILED", "ABORTED", "FAILED"})
    void anythingButRunningOrRollingBackIsLeftAlone(DeploymentStatus status) {
        for (Step step : new Step[] {null, open(5, NOW.minusSeconds(1)), verdict(2, Verdict.SUCCESSFUL, null)}) {
            Transition t = machine.next(at(status, step == null ? 0 : step.index(), 5, step), Event.RUN, NOW);
            assertThat(t.commands()).isEmpty();
            assertThat(t.work()).isEqualTo(Work.NONE);
            assertThat(t.again()).isFalse();
            assertThat(t.state()).isEqualTo(state(status, step == null ? 0 : step.index(), 5));
        }
    }

    /** The outcome of a call (target or smoke) arriving under the row lock. */
    static Stream<Arguments> outcomes() {
        SmokeRunner.Result passed = new SmokeRunner.Result(2, 2, List.of());
        SmokeRunner.Result failed = new SmokeRunner.Result(1, 2, List.of("GET /health: 503"));
        List<StepSpec> smokeFirst = List.of(StepSpec.smoke(List.of(CHECK)), StepSpec.setWeight(5));
        return Stream.of(
                Arguments.of("a confirmed weight closes the open step and moves on",
                        at(RUNNING, 0, 0, open(0, null)), new Event.WeightSet(0, 5, null, null),
                        state(RUNNING, 1, 5), List.of(new Command.RecordWeight(5), new Command.CompleteStep(0,
                                StepStatus.SUCCEEDED, "target at 5% (2.4.0 over 2.3.0)", null))),
                Arguments.of("the versions the target reports are the ones recorded",
                        at(RUNNING, 0, 0, open(0, null)), new Event.WeightSet(0, 5, "2.4.0-rc", "2.2.9"),
                        state(RUNNING, 1, 5), List.of(new Command.RecordWeight(5), new Command.CompleteStep(0,
                                StepStatus.SUCCEEDED, "target at 5% (2.4.0-rc over 2.2.9)", null))),
                Arguments.of("the promotion step says who promoted and why",
                        promoted(at(RUNNING, PLAN.size(), 25, open(PLAN.size(), null))),
                        new Event.WeightSet(PLAN.size(), 100, null, null), state(RUNNING, PLAN.size() + 1, 100),
                        List.of(new Command.RecordWeight(100), new Command.CompleteStep(PLAN.size(),
                                StepStatus.SUCCEEDED, "promoted by kim (hotfix); target at 100% (2.4.0 over 2.3.0)",
                                null))),
                Arguments.of("a weight confirmed after an abort is only a fact",
                        at(DeploymentStatus.ABORTED, 4, 5, closed(4)), new Event.WeightSet(4, 25, null, null),
                        state(DeploymentStatus.ABORTED, 4, 25), List.of(new Command.RecordWeight(25),
                                new Command.Note("deployment " + ID + " step 4: weight 25 confirmed after the "
                                        + "deployment became ABORTED"))),
                Arguments.of("a refused weight fails the step and the deployment",
                        at(RUNNING, 4, 5, open(4, null)), new Event.WeightFailed(4, "HTTP 409"),
                        state(FAILED, 4, 5), List.of(new Command.CompleteStep(4, StepStatus.FAILED,
                                "target call failed: HTTP 409", null), new Command.Finish(DeploymentOutcome.FAILED,
                                "step 4 setWeight failed: HTTP 409"))),
                Arguments.of("a refused weight after a rollback began changes nothing",
                        at(ROLLING_BACK, 4, 5, closed(4)), new Event.WeightFailed(4, "HTTP 409"),
                        state(ROLLING_BACK, 4, 5), List.of(new Command.Note("deployment " + ID + " step 4: weight "
                                + "call failed after the deployment became ROLLING_BACK: HTTP 409"))),
                Arguments.of("passing smoke checks close the step",
                        at(RUNNING, 1, 5, open(1, null)), new Event.SmokeDone(1, passed), state(RUNNING, 2, 5),
                        List.of(new Command.RecordSmoke(1, 2, 2), new Command.CompleteStep(1, StepStatus.SUCCEEDED,
                                "2/2 smoke checks passed", null))),
                Arguments.of("a failed smoke check after traffic moved halts (P1)",
                        at(RUNNING, 1, 5, open(1, null)), new Event.SmokeDone(1, failed), state(PAUSED, 1, 5),
                        List.of(new Command.RecordSmoke(1, 1, 2), new Command.CompleteStep(1, StepStatus.FAILED,
                                "1/2 smoke checks passed; GET /health: 503", null), new Command.Halt("step 1 smoke "
                                + "check failed (P1): GET /health: 503; awaiting the rollback decision"))),
                Arguments.of("a failed pre-deploy check (before any traffic) fails the deployment",
                        withPlan(at(RUNNING, 0, 0, open(0, null)), smokeFirst), new Event.SmokeDone(0, failed),
                        state(FAILED, 0, 0), List.of(new Command.RecordSmoke(0, 1, 2),
                                new Command.CompleteStep(0, StepStatus.FAILED, "1/2 smoke checks passed; GET /health: "
                                        + "503", null), new Command.Finish(DeploymentOutcome.FAILED, "step 0 pre-deploy "
                                        + "check failed: the current version is unhealthy (GET /health: 503); no "
                                        + "traffic was shifted, nothing to roll back"))),
                Arguments.of("a failed first-step check with traffic already moved (a re-run) halts instead",
                        withPlan(at(RUNNING, 0, 5, open(0, null)), smokeFirst), new Event.SmokeDone(0, failed),
                        state(PAUSED, 0, 5), List.of(new Command.RecordSmoke(0, 1, 2),
                                new Command.CompleteStep(0, StepStatus.FAILED, "1/2 smoke checks passed; GET /health: "
                                        + "503", null), new Command.Halt("step 0 smoke check failed (P1): GET /health: "
                                        + "503; awaiting the rollback decision"))),
                Arguments.of("smoke results for a step already closed are kept, nothing else",
                        at(PAUSED, 1, 5, closed(1)), new Event.SmokeDone(1, failed), state(PAUSED, 1, 5),
                        List.of(new Command.RecordSmoke(1, 1, 2))),
                Arguments.of("a confirmed finalize ends the rollout SUCCEEDED",
                        at(RUNNING, PLAN.size(), 100, null), new Event.Finalized(null),
                        state(SUCCEEDED, PLAN.size(), 100), List.of(new Command.Note("deployment " + ID + ": target "
                                + "finalized, 2.4.0 is the stable version of checkout"),
                                new Command.Finish(DeploymentOutcome.SUCCEEDED, null))),
                Arguments.of("a finalize confirmed after a promote added a step is only a fact",
                        promoted(at(RUNNING, PLAN.size(), 25, null)), new Event.Finalized("2.4.0"),
                        state(RUNNING, PLAN.size(), 25), List.of(new Command.Note("deployment " + ID + ": finalize "
                                + "confirmed after the deployment became RUNNING at step " + PLAN.size()))),
                Arguments.of("a refused finalize fails the deployment, the target left where it is",
                        at(RUNNING, PLAN.size(), 100, null), new Event.FinalizeFailed("HTTP 500"),
                        state(FAILED, PLAN.size(), 100), List.of(new Command.Finish(DeploymentOutcome.FAILED,
                                "finalize failed: HTTP 500; the target was left at 100% of 2.4.0"))),
                Arguments.of("a refused finalize after an abort changes nothing",
                        at(DeploymentStatus.ABORTED, PLAN.size(), 100, null), new Event.FinalizeFailed("HTTP 500"),
                        state(DeploymentStatus.ABORTED, PLAN.size(), 100), List.of(new Command.Note("deployment "
                                + ID + ": finalize failed after the deployment became ABORTED: HTTP 500"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void outcome(String situation, Snapshot before, Event event, State after, List<Command> commands) {
        Transition t = machine.next(before, event, NOW);
        assertThat(t.state()).as("state").isEqualTo(after);
        assertThat(t.commands()).as("commands").isEqualTo(commands);
        assertThat(t.work()).as("no call follows an outcome").isEqualTo(Work.NONE);
        assertThat(t.again()).isFalse();
    }

    /** Driving the machine as StepTransitions does (apply, ask again) walks a plan until its first call. */
    @Test
    void runsWalkThroughStepsThatNeedNoCallUntilTheFirstCall() {
        List<StepSpec> plan = List.of(StepSpec.pause(Duration.ZERO), StepSpec.analysis(Duration.ZERO),
                StepSpec.setWeight(5));
        Snapshot s = withPlan(at(RUNNING, 0, 0, null), plan);
        List<String> seen = new java.util.ArrayList<>();
        Transition t;
        int rounds = 0;
        do {
            t = machine.next(s, Event.RUN, NOW);
            Step step = s.step();
            for (Command c : t.commands()) {
                seen.add(c.getClass().getSimpleName() + (c instanceof Command.StartStep st ? " " + st.index() : ""));
                if (c instanceof Command.StartStep st) {
                    step = open(st.index(), NOW); // both timed steps last zero here
                }
            }
            int current = t.state().currentStep();
            if (step != null && step.index() == 1 && step.open() && step.verdict() == null) {
                step = step.withVerdict(Verdict.SUCCESSFUL, null); // the monitor's verdict is in
            }
            s = new Snapshot(ID, t.state().status(), current, t.state().currentWeight(), 0, plan, plan.size(), TARGET,
                    "2.4.0", "2.3.0", "2.3.0", null, null, null, step != null && step.index() == current ? step : null);
        } while (t.again() && ++rounds < 10);
        assertThat(seen).containsExactly("StartStep 0", "CompleteStep", "StartStep 1", "CompleteStep",
                "StartStep 2");
        assertThat(t.work()).isEqualTo(new Work.SetWeight(2, TARGET, 5, "msg_" + ID + "_step2_traffic"));
    }

    @Test
    void anOutcomeForAStepTheSnapshotLacksIsABug() {
        assertThatThrownBy(() -> machine.next(at(RUNNING, 0, 0, null), new Event.WeightSet(0, 5, null, null), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Snapshot stepBack(Snapshot s, Integer toWeight, int attempt) {
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), attempt, s.plan(), s.planned(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), toWeight, s.promotedBy(),
                s.promoteReason(), s.step());
    }

    private static Snapshot promoted(Snapshot s) {
        List<StepSpec> plan = new java.util.ArrayList<>(PLAN);
        plan.add(StepSpec.setWeight(100));
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), s.attempt(), plan, PLAN.size(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), s.stepBackToWeight(), "kim",
                "hotfix", s.step());
    }

    private static Snapshot withPlan(Snapshot s, List<StepSpec> plan) {
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), s.attempt(), plan, plan.size(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), s.stepBackToWeight(),
                s.promotedBy(), s.promoteReason(), s.step());
    }
}
