package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.StepStatus;
import dev.rollwatch.deploy.driver.DeploymentTarget;
import dev.rollwatch.deploy.driver.TargetDriver;
import dev.rollwatch.deploy.service.StepMachine.Command;
import dev.rollwatch.deploy.service.StepMachine.Event;
import dev.rollwatch.deploy.service.StepMachine.Newer;
import dev.rollwatch.deploy.service.StepMachine.Recovery;
import dev.rollwatch.deploy.service.StepMachine.Snapshot;
import dev.rollwatch.deploy.service.StepMachine.State;
import dev.rollwatch.deploy.service.StepMachine.Step;
import dev.rollwatch.deploy.service.StepMachine.Transition;
import dev.rollwatch.events.DeploymentOutcome;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.SmokeCheck;
import dev.rollwatch.events.StepSpec;
import dev.rollwatch.events.Trigger;
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

    /** The rollback facts of a rollout that never failed: default strategy, no rollback in progress. */
    private static final Recovery NO_ROLLBACK = new Recovery(null, null, null, null, null, null, null);
    private static final String WHY = "error rate 8% > 1%";
    /** An automatic rollback request naming no version (the deployment's previous one is meant). */
    private static final Event.RollbackRequested REQUESTED = new Event.RollbackRequested("req-1", Trigger.AUTOMATIC,
            null, WHY);
    private static final UUID NEWER = UUID.fromString("00000000-0000-0000-0000-0000000000d2");

    private final StepMachine machine = new StepMachine(GRACE);

    static Snapshot at(DeploymentStatus status, int currentStep, int weight, Step step) {
        return new Snapshot(ID, status, currentStep, weight, 0, PLAN, PLAN.size(), TARGET, "2.4.0", "2.3.0", "2.3.0",
                null, null, null, NO_ROLLBACK, step);
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
                    "2.4.0", "2.3.0", "2.3.0", null, null, null, NO_ROLLBACK,
                    step != null && step.index() == current ? step : null);
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

    /**
     * A rollback request (ADR 0005; docs/deploy-service.md, "Failed phases, stepping back, and rolling back a
     * finished rollout"): what it does in each status, step back or full rollback, and the call that follows.
     */
    static Stream<Arguments> rollbackRequests() {
        String stopped = "stopped by rollback: " + WHY;
        Command.Note rollingBackAt25 = new Command.Note("deployment " + ID + " rolling back to 2.3.0 at weight "
                + "25 (request req-1): " + WHY);
        Command.Note rollingBackAt5 = new Command.Note("deployment " + ID + " rolling back to 2.3.0 at weight "
                + "5 (request req-1): " + WHY);
        Work rollbackCall = new Work.Rollback(TARGET, "2.3.0", "msg_" + ID + "_rollback");
        return Stream.of(
                Arguments.of("a running rollout: its open step ABORTED, ROLLING_BACK, the rollback call",
                        at(RUNNING, 5, 25, open(5, NOW.plusSeconds(30))), REQUESTED, state(ROLLING_BACK, 5, 25),
                        List.of(new Command.CompleteStep(5, StepStatus.ABORTED, stopped, null),
                                new Command.RollBack("2.3.0", WHY), rollingBackAt25), rollbackCall),
                Arguments.of("a rollout PAUSED for the decision (its failed step already closed): ROLLING_BACK",
                        at(PAUSED, 2, 5, closed(2)), REQUESTED, state(ROLLING_BACK, 2, 5),
                        List.of(new Command.RollBack("2.3.0", WHY), rollingBackAt5), rollbackCall),
                Arguments.of("a rollout waiting for approval: the gate ABORTED, ROLLING_BACK",
                        at(AWAITING_APPROVAL, 3, 5, open(3, null)), REQUESTED, state(ROLLING_BACK, 3, 5),
                        List.of(new Command.CompleteStep(3, StepStatus.ABORTED, stopped, null),
                                new Command.RollBack("2.3.0", WHY), rollingBackAt5), rollbackCall),
                Arguments.of("the version the request names is the one rolled back to",
                        at(PAUSED, 2, 5, closed(2)), new Event.RollbackRequested("req-1", Trigger.MANUAL, "2.2.0",
                                WHY), state(ROLLING_BACK, 2, 5),
                        List.of(new Command.RollBack("2.2.0", WHY), new Command.Note("deployment " + ID + " rolling "
                                + "back to 2.2.0 at weight 5 (request req-1): " + WHY)),
                        new Work.Rollback(TARGET, "2.2.0", "msg_" + ID + "_rollback")),
                Arguments.of("a second request for a deployment already ROLLING_BACK does nothing more",
                        rollingBack(at(ROLLING_BACK, 5, 25, null)), new Event.RollbackRequested("req-2",
                                Trigger.AUTOMATIC, null, WHY), state(ROLLING_BACK, 5, 25),
                        List.of(new Command.Note("rollback req-2 for deployment " + ID + " ignored: already "
                                + "ROLLING_BACK")), Work.NONE),
                Arguments.of("a second request while stepping back does nothing more either",
                        steppingBack(at(ROLLING_BACK, 5, 25, null), null), REQUESTED, state(ROLLING_BACK, 5, 25),
                        List.of(new Command.Note("rollback req-1 for deployment " + ID + " ignored: already "
                                + "ROLLING_BACK")), Work.NONE),
                Arguments.of("a SUCCEEDED deployment (its bake window, or an operator) is rolled back; no step to stop",
                        at(SUCCEEDED, PLAN.size(), 100, null), REQUESTED, state(ROLLING_BACK, PLAN.size(), 100),
                        List.of(new Command.RollBack("2.3.0", WHY), new Command.Note("deployment " + ID
                                + " rolling back to 2.3.0 at weight 100 (request req-1): " + WHY)), rollbackCall),
                Arguments.of("a SUCCEEDED deployment a newer one of its service and environment followed: refused, "
                                + "left SUCCEEDED",
                        newer(at(SUCCEEDED, PLAN.size(), 100, null)), REQUESTED, state(SUCCEEDED, PLAN.size(), 100),
                        List.of(new Command.Refuse(new RollbackCompleted("checkout", "prod", RollbackOutcome.FAILED,
                                "2.3.0", 0, null, "superseded by deployment " + NEWER + " (2.5.0, AWAITING_APPROVAL): "
                                + "rolling checkout back to 2.3.0 would undo it; roll back the newer deployment "
                                + "instead"))), Work.NONE),
                Arguments.of("a SUCCEEDED deployment without a previous version: refused, left SUCCEEDED",
                        firstVersion(at(SUCCEEDED, PLAN.size(), 100, null)), REQUESTED,
                        state(SUCCEEDED, PLAN.size(), 100),
                        List.of(new Command.Refuse(new RollbackCompleted("checkout", "prod", RollbackOutcome.FAILED,
                                null, 0, null, "no previous version of checkout in prod to roll back to"))), Work.NONE),
                Arguments.of("onFailure stepBack: an automatic request at 25% steps back to 5% (the phase from step 4 "
                                + "to run again), its open step ABORTED, the traffic call under the run's webhook-id",
                        stepBackStrategy(at(RUNNING, 5, 25, open(5, NOW.plusSeconds(30))), null, 0),
                        REQUESTED, state(ROLLING_BACK, 5, 25),
                        List.of(new Command.CompleteStep(5, StepStatus.ABORTED, "stopped by step back: " + WHY, null),
                                new Command.StepBack(5, 4, "stepping back from 25% to 5%: " + WHY),
                                new Command.Note("deployment " + ID + " stepping back from 25% to 5% (request req-1): "
                                        + WHY)), new Work.StepBack(TARGET, 5, "msg_" + ID + "_stepback0_traffic")),
                Arguments.of("onFailure stepBack: a later phase failing after a step back steps back again, under "
                                + "the new run's webhook-id",
                        stepBackStrategy(at(RUNNING, PLAN.size(), 100, null), 4, 1), REQUESTED,
                        state(ROLLING_BACK, PLAN.size(), 100),
                        List.of(new Command.StepBack(25, 6, "stepping back from 100% to 25%: " + WHY),
                                new Command.Note("deployment " + ID + " stepping back from 100% to 25% (request "
                                        + "req-1): " + WHY)), new Work.StepBack(TARGET, 25, "msg_" + ID
                                + "_stepback1_traffic")),
                Arguments.of("onFailure stepBack: a second failure of the phase that stepped back rolls back fully",
                        stepBackStrategy(at(AWAITING_APPROVAL, 5, 25, null), 4, 1), REQUESTED,
                        state(ROLLING_BACK, 5, 25), List.of(new Command.RollBack("2.3.0", WHY),
                                rollingBackAt25), rollbackCall),
                Arguments.of("onFailure stepBack: a failure at the first weight rolls back fully (nothing to step "
                                + "back to)",
                        stepBackStrategy(at(PAUSED, 2, 5, closed(2)), null, 0), REQUESTED, state(ROLLING_BACK, 2, 5),
                        List.of(new Command.RollBack("2.3.0", WHY), rollingBackAt5), rollbackCall),
                Arguments.of("onFailure stepBack: an operator's (MANUAL) request rolls back fully",
                        stepBackStrategy(at(PAUSED, 5, 25, closed(5)), null, 0),
                        new Event.RollbackRequested("req-1", Trigger.MANUAL, null, WHY), state(ROLLING_BACK, 5, 25),
                        List.of(new Command.RollBack("2.3.0", WHY), rollingBackAt25), rollbackCall),
                Arguments.of("onFailure stepBack: a promoted rollout rolls back fully",
                        promoted(stepBackStrategy(at(RUNNING, PLAN.size(), 25, open(PLAN.size(), null)), null, 0)),
                        REQUESTED, state(ROLLING_BACK, PLAN.size(), 25),
                        List.of(new Command.CompleteStep(PLAN.size(), StepStatus.ABORTED, stopped, null),
                                new Command.RollBack("2.3.0", WHY), rollingBackAt25), rollbackCall));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollbackRequests")
    void rollbackRequest(String situation, Snapshot before, Event event, State after, List<Command> commands,
            Work work) {
        Transition t = machine.next(before, event, NOW);
        assertThat(t.state()).as("state").isEqualTo(after);
        assertThat(t.commands()).as("commands").isEqualTo(commands);
        assertThat(t.work()).as("call").isEqualTo(work);
        assertThat(t.again()).as("asked again").isFalse();
    }

    /** A deployment that ended otherwise than SUCCEEDED is never taken back. */
    @ParameterizedTest
    @EnumSource(value = DeploymentStatus.class, names = {"ROLLED_BACK", "ROLLBACK_FAILED", "ABORTED", "FAILED"})
    void aRollbackRequestForADeploymentThatEndedOtherwiseThanSucceededIsIgnored(DeploymentStatus status) {
        Transition t = machine.next(at(status, 4, 5, null), REQUESTED, NOW);
        assertThat(t.state()).isEqualTo(state(status, 4, 5));
        assertThat(t.commands()).containsExactly(new Command.Note("rollback req-1 for deployment " + ID
                + " ignored: already " + status));
        assertThat(t.work()).isEqualTo(Work.NONE);
    }

    /**
     * The call a request names is the one the engine's run makes from the state the request leaves, before and after
     * a restart: the same webhook-id, so the target applies it once.
     */
    @Test
    void theCallARequestNamesIsTheOneTheEngineMakesFromTheStateItLeaves() {
        Snapshot waiting = at(AWAITING_APPROVAL, 3, 5, open(3, null));
        Transition rollback = machine.next(waiting, new Event.RollbackRequested("req-1", Trigger.MANUAL, "2.2.0",
                WHY), NOW);
        assertThat(machine.next(begun(waiting, rollback), Event.RUN, NOW).work()).isEqualTo(rollback.work())
                .isEqualTo(new Work.Rollback(TARGET, "2.2.0", "msg_" + ID + "_rollback"));
        assertThat(machine.next(begun(waiting, rollback), Event.RUN, NOW.plusSeconds(600)).work())
                .as("after a restart").isEqualTo(rollback.work());

        Snapshot running = stepBackStrategy(at(RUNNING, 5, 25, null), null, 0);
        Transition stepBack = machine.next(running, REQUESTED, NOW);
        assertThat(machine.next(begun(running, stepBack), Event.RUN, NOW).work()).isEqualTo(stepBack.work())
                .isEqualTo(new Work.StepBack(TARGET, 5, "msg_" + ID + "_stepback0_traffic"));
    }

    /** The deployment as a request's transition leaves it (the fields RollbackExecutor sets from its commands). */
    private static Snapshot begun(Snapshot s, Transition t) {
        String toVersion = s.rollbackToVersion();
        Integer toWeight = null;
        for (Command c : t.commands()) {
            if (c instanceof Command.RollBack b) {
                toVersion = b.toVersion();
            } else if (c instanceof Command.StepBack b) {
                toWeight = b.toWeight();
            }
        }
        return new Snapshot(s.id(), t.state().status(), t.state().currentStep(), t.state().currentWeight(),
                s.attempt(), s.plan(), s.planned(), s.target(), s.version(), s.previousVersion(), toVersion, toWeight,
                s.promotedBy(), s.promoteReason(), s.recovery(), null);
    }

    /** The outcome of the rollback or step-back call, arriving under the row lock. */
    static Stream<Arguments> rollbackOutcomes() {
        TargetDriver.Health healthy = new TargetDriver.Health(true, "health 200");
        TargetDriver.Health sick = new TargetDriver.Health(false, "health 503");
        String setBack = "target set back to 2.3.0 at weight 0; healthy";
        String pausing = "stepping back from 25% to 5%: " + WHY;
        return Stream.of(
                Arguments.of("rolled back, the restored version healthy: ROLLED_BACK at 0%, RollbackCompleted "
                                + "SUCCEEDED with both durations, then DeploymentFinished",
                        rollingBack(at(ROLLING_BACK, 5, 25, null)), new Event.RolledBack(setBack, healthy),
                        state(DeploymentStatus.ROLLED_BACK, 5, 0), List.of(new Command.RecordWeight(0),
                                new Command.EndRollback(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.SUCCEEDED, "2.3.0", 2000, 5000L, setBack, null,
                                        "health 200")), new Command.Finish(DeploymentOutcome.ROLLED_BACK, WHY)),
                        Work.NONE, false),
                Arguments.of("rolled back, the restored version failing its probe: UNVERIFIED, still ROLLED_BACK, "
                                + "and the reason says so",
                        rollingBack(at(ROLLING_BACK, 5, 25, null)), new Event.RolledBack("target set back to 2.3.0 "
                                + "at weight 0; health check failed: health 503", sick),
                        state(DeploymentStatus.ROLLED_BACK, 5, 0), List.of(new Command.RecordWeight(0),
                                new Command.EndRollback(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.UNVERIFIED, "2.3.0", 2000, 5000L, "target set back to 2.3.0 "
                                        + "at weight 0; health check failed: health 503", null, "health 503")),
                                new Command.Finish(DeploymentOutcome.ROLLED_BACK, WHY + " (rollback UNVERIFIED: "
                                        + "health 503)")), Work.NONE, false),
                Arguments.of("a manual rollback (no detection time) has no detection-to-rollback",
                        manual(rollingBack(at(ROLLING_BACK, 5, 25, null))), new Event.RolledBack(setBack, healthy),
                        state(DeploymentStatus.ROLLED_BACK, 5, 0), List.of(new Command.RecordWeight(0),
                                new Command.EndRollback(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.SUCCEEDED, "2.3.0", 2000, null, setBack, null,
                                        "health 200")), new Command.Finish(DeploymentOutcome.ROLLED_BACK, WHY)),
                        Work.NONE, false),
                Arguments.of("the target refused the rollback: ROLLBACK_FAILED where it was, RollbackCompleted FAILED, "
                                + "DeploymentFinished FAILED",
                        rollingBack(at(ROLLING_BACK, 5, 25, null)), new Event.RollbackFailed("HTTP 500"),
                        state(DeploymentStatus.ROLLBACK_FAILED, 5, 25), List.of(
                                new Command.EndRollback(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.FAILED, "2.3.0", 2000, 5000L, "HTTP 500", null, null)),
                                new Command.FinishRollbackFailed("rollback failed: HTTP 500")), Work.NONE, false),
                Arguments.of("a rollback outcome after the deployment moved on is only a fact",
                        at(DeploymentStatus.ROLLED_BACK, 5, 0, null), new Event.RolledBack(setBack, healthy),
                        state(DeploymentStatus.ROLLED_BACK, 5, 0), List.of(new Command.Note("deployment " + ID
                                + ": rollback done (" + setBack + ") after the deployment became ROLLED_BACK")),
                        Work.NONE, false),
                Arguments.of("a rollback outcome while the deployment steps back instead is only a fact",
                        steppingBack(at(ROLLING_BACK, 5, 25, null), null), new Event.RollbackFailed("HTTP 500"),
                        state(ROLLING_BACK, 5, 25), List.of(new Command.Note("deployment " + ID + ": rollback "
                                + "failed (HTTP 500) after the deployment became ROLLING_BACK (stepping back)")),
                        Work.NONE, false),
                Arguments.of("stepped back, afterStepBack pause: the previous phase's setWeight in a new run's "
                                + "history, STEPPED_BACK, then an operator decides at the failed phase",
                        steppingBack(at(ROLLING_BACK, 5, 25, null), null), new Event.SteppedBack(5),
                        state(AWAITING_APPROVAL, 4, 5), List.of(new Command.RecordWeight(5), new Command.NewRun(4),
                                new Command.StartStep(0, StepSpec.setWeight(5)),
                                new Command.CompleteStep(0, StepStatus.SUCCEEDED, "stepped back from 25% to 5% ("
                                        + pausing + ")", null),
                                new Command.EndStepBack(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.STEPPED_BACK, null, 2000, 5000L, "stepped back from 25% to "
                                        + "5%; phase from step 4 waits for an operator to retry (approve) or abort",
                                        5, null)),
                                new Command.AwaitApproval(4, "stepped back from 25% to 5% (" + pausing + "); approve "
                                        + "to retry the phase, or abort")), Work.NONE, true),
                Arguments.of("stepped back, afterStepBack continue: the failed phase runs again at once",
                        steppingBack(at(ROLLING_BACK, 5, 25, null), "continue"), new Event.SteppedBack(5),
                        state(RUNNING, 4, 5), List.of(new Command.RecordWeight(5), new Command.NewRun(4),
                                new Command.StartStep(0, StepSpec.setWeight(5)),
                                new Command.CompleteStep(0, StepStatus.SUCCEEDED, "stepped back from 25% to 5% ("
                                        + pausing + ")", null),
                                new Command.EndStepBack(new RollbackCompleted("checkout", "prod",
                                        RollbackOutcome.STEPPED_BACK, null, 2000, 5000L, "stepped back from 25% to "
                                        + "5%; phase from step 4 retried at once", 5, null)),
                                new Command.Resume()), Work.NONE, true),
                Arguments.of("a step back that failed: the full rollback to the previous version instead",
                        steppingBack(at(ROLLING_BACK, 5, 25, null), null), new Event.StepBackFailed("HTTP 409"),
                        state(ROLLING_BACK, 5, 25), List.of(new Command.FallBack("2.3.0", "step back failed "
                                + "(HTTP 409), rolling back: " + pausing)),
                        new Work.Rollback(TARGET, "2.3.0", "msg_" + ID + "_rollback"), false),
                Arguments.of("a step-back outcome after the deployment moved on is only a fact",
                        at(AWAITING_APPROVAL, 4, 5, null), new Event.SteppedBack(5), state(AWAITING_APPROVAL, 4, 5),
                        List.of(new Command.Note("deployment " + ID + ": step back to 5% done after the deployment "
                                + "became AWAITING_APPROVAL")), Work.NONE, false),
                Arguments.of("a step-back failure during a full rollback is only a fact",
                        rollingBack(at(ROLLING_BACK, 5, 25, null)), new Event.StepBackFailed("HTTP 409"),
                        state(ROLLING_BACK, 5, 25), List.of(new Command.Note("deployment " + ID + ": step back "
                                + "failed (HTTP 409) after the deployment became ROLLING_BACK")), Work.NONE, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollbackOutcomes")
    void rollbackOutcome(String situation, Snapshot before, Event event, State after, List<Command> commands,
            Work work, boolean again) {
        Transition t = machine.next(before, event, NOW);
        assertThat(t.state()).as("state").isEqualTo(after);
        assertThat(t.commands()).as("commands").isEqualTo(commands);
        assertThat(t.work()).as("call").isEqualTo(work);
        assertThat(t.again()).as("the engine runs it next").isEqualTo(again);
    }

    private static Snapshot stepBack(Snapshot s, Integer toWeight, int attempt) {
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), attempt, s.plan(), s.planned(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), toWeight, s.promotedBy(),
                s.promoteReason(), s.recovery(), s.step());
    }

    private static Snapshot promoted(Snapshot s) {
        List<StepSpec> plan = new java.util.ArrayList<>(PLAN);
        plan.add(StepSpec.setWeight(100));
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), s.attempt(), plan, PLAN.size(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), s.stepBackToWeight(), "kim",
                "hotfix", s.recovery(), s.step());
    }

    private static Snapshot withPlan(Snapshot s, List<StepSpec> plan) {
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), s.attempt(), plan, plan.size(),
                s.target(), s.version(), s.previousVersion(), s.rollbackToVersion(), s.stepBackToWeight(),
                s.promotedBy(), s.promoteReason(), s.recovery(), s.step());
    }

    private static Snapshot with(Snapshot s, int attempt, String previousVersion, Integer toWeight, Recovery r) {
        return new Snapshot(s.id(), s.status(), s.currentStep(), s.currentWeight(), attempt, s.plan(), s.planned(),
                s.target(), s.version(), previousVersion, s.rollbackToVersion(), toWeight, s.promotedBy(),
                s.promoteReason(), r, s.step());
    }

    /** A strategy with {@code onFailure: stepBack}, in run {@code attempt}, {@code steppedBackPhase} already. */
    private static Snapshot stepBackStrategy(Snapshot s, Integer steppedBackPhase, int attempt) {
        return with(s, attempt, s.previousVersion(), s.stepBackToWeight(), new Recovery("stepBack", null,
                steppedBackPhase, null, null, null, null));
    }

    /** A full rollback to 2.3.0 under way: detected 5 s ago, begun 2 s ago. */
    private static Snapshot rollingBack(Snapshot s) {
        return with(s, s.attempt(), s.previousVersion(), null, new Recovery(null, null, null, WHY,
                NOW.minusSeconds(5), NOW.minusSeconds(2), null));
    }

    /** A step back from 25% to 5% under way, the phase from step 4 to run again; {@code afterStepBack} as given. */
    private static Snapshot steppingBack(Snapshot s, String afterStepBack) {
        return with(s, s.attempt(), s.previousVersion(), 5, new Recovery("stepBack", afterStepBack, 4,
                "stepping back from 25% to 5%: " + WHY, NOW.minusSeconds(5), NOW.minusSeconds(2), null));
    }

    private static Snapshot manual(Snapshot s) {
        Recovery r = s.recovery();
        return with(s, s.attempt(), s.previousVersion(), s.stepBackToWeight(), new Recovery(r.onFailure(),
                r.afterStepBack(), r.steppedBackPhase(), r.statusReason(), null, r.startedAt(), r.newer()));
    }

    /** A deployment of checkout in prod started after this one. */
    private static Snapshot newer(Snapshot s) {
        return with(s, s.attempt(), s.previousVersion(), s.stepBackToWeight(), new Recovery(null, null, null, null,
                null, null, new Newer(NEWER, "2.5.0", AWAITING_APPROVAL)));
    }

    /** The first version of its service in its environment: nothing before it. */
    private static Snapshot firstVersion(Snapshot s) {
        return with(s, s.attempt(), null, s.stepBackToWeight(), s.recovery());
    }
}
