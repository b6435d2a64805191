package dev.rollwatch.demotarget.domain;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BehaviourTest {

    @Test
    void sampledLatenciesHaveTheConfiguredP95() {
        assertThat(sampledP95Ms(new Behaviour(0.001, 120, 0))).isCloseTo(120, within(4.0));
        assertThat(sampledP95Ms(new Behaviour(0.08, 900, 0))).isCloseTo(900, within(30.0));
    }

    @Test
    void sampledFailuresHaveTheConfiguredRate() {
        Behaviour bad = new Behaviour(0.08, 900, 0);
        SplittableRandom random = new SplittableRandom(3);
        int failures = 0;
        for (int i = 0; i < 100_000; i++) {
            failures += bad.sampleFailure(random) ? 1 : 0;
        }
        assertThat(failures / 100_000.0).isCloseTo(0.08, within(0.003));
    }

    @Test
    void aVersionAnswersUnlessSaidDownAndTheOtherFieldsSurviveTheSwitch() {
        Behaviour answering = new Behaviour(0.02, 300, 5);
        Behaviour down = answering.withDown(true);

        assertThat(answering.down()).isFalse();
        assertThat(down).isEqualTo(new Behaviour(0.02, 300, 5, true));
        assertThat(down.withDown(false)).isEqualTo(answering);
        assertThat(down.withErrorRate(0.5).down()).isTrue();
    }

    @Test
    void refusesImpossibleBehaviours() {
        assertThatThrownBy(() -> new Behaviour(1.5, 120, 0)).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> new Behaviour(0.1, 0, 0)).hasMessageContaining("p95LatencyMs");
        assertThatThrownBy(() -> new Behaviour(0.1, 120, -1)).hasMessageContaining("memoryGrowthMbPerHour");
    }

    private static double sampledP95Ms(Behaviour behaviour) {
        SplittableRandom random = new SplittableRandom(11);
        double[] samples = new double[100_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = behaviour.sampleLatencySeconds(random) * 1000;
        }
        Arrays.sort(samples);
        return samples[(int) (samples.length * 0.95)];
    }
}
