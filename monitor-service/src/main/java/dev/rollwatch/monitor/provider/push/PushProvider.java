package dev.rollwatch.monitor.provider.push;

import dev.rollwatch.monitor.domain.CheckRule;
import dev.rollwatch.monitor.provider.MetricProvider;
import dev.rollwatch.monitor.provider.Reading;
import dev.rollwatch.monitor.provider.WatchedDeployment;
import dev.rollwatch.monitor.service.SampleEvaluator;
import dev.rollwatch.monitor.service.Telemetry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code push} provider: measurements posted by whoever has them ({@code POST /api/v1/samples}), judged the
 * moment they arrive — the sub-second path. It is never polled: its samples reach the evaluation by themselves,
 * against every check of the watch on the sample's metric (whatever that check's provider).
 */
@ApplicationScoped
public class PushProvider implements MetricProvider {

    public static final String NAME = "push";

    private final SampleEvaluator evaluator;

    public PushProvider(SampleEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean polled() {
        return false;
    }

    @Override
    public Reading measure(CheckRule check, WatchedDeployment watch) {
        return Reading.notYet("push checks are measured when samples arrive, not asked");
    }

    /**
     * A batch of pushed samples, judged in order, all or nothing; {@code requireService} is the caller's scope check
     * (the watch's service, null when there is no watch), made under the watch's lock. {@code telemetry}: RECORDED
     * for {@code POST /api/v1/samples}, SILENT for the start-up warm-up's rehearsal of it ({@code rest/BreachWarmup}).
     */
    public List<SampleEvaluator.SampleEvaluation> accept(String deploymentId, List<SampleEvaluator.Sample> samples,
            Consumer<String> requireService, Telemetry telemetry) {
        return evaluator.evaluate(deploymentId, samples, requireService, telemetry);
    }
}
