package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Measure;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.Breach;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.SeriesPoint;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.repository.BreachRepository;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.SeriesRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads a watch's checks, their stored series and their breaches into the series view (also after the watch stopped). */
@ApplicationScoped
public class SeriesQuery {

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final BreachRepository breaches;
    private final SeriesRepository series;
    private final MonitorConfig config;

    public SeriesQuery(WatchRepository watches, CheckStateRepository checks, BreachRepository breaches,
            SeriesRepository series, MonitorConfig config) {
        this.watches = watches;
        this.checks = checks;
        this.breaches = breaches;
        this.series = series;
        this.config = config;
    }

    /** The series of a deployment's watch, if it has one. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<SeriesView> find(String deploymentId) {
        return watches.findByIdOptional(deploymentId).map(this::view);
    }

    private SeriesView view(Watch w) {
        Map<Long, List<SeriesPoint>> points = series.newest(w.deploymentId, config.seriesPoints()).stream()
                .collect(Collectors.groupingBy(SeriesPoint::checkId));
        Map<String, List<Breach>> breachesByCheck = breaches.forDeployment(w.deploymentId).stream()
                .collect(Collectors.groupingBy(b -> b.checkName));
        List<SeriesView.CheckSeries> out = new ArrayList<>();
        for (CheckState c : checks.forDeployment(w.deploymentId)) {
            List<SeriesView.Point> checkPoints = points.getOrDefault(c.id, List.of()).stream()
                    .map(p -> new SeriesView.Point(p.observedAt(), p.value())).toList();
            List<SeriesView.BreachMark> marks = breachesByCheck.getOrDefault(c.name, List.of()).stream()
                    .sorted(Comparator.comparingInt((Breach b) -> b.episode))
                    .map(SeriesQuery::mark).toList();
            boolean above = c.maxValue != null;
            out.add(new SeriesView.CheckSeries(c.name, c.metric, c.measure.name(), unit(c.metric, c.measure),
                    above ? ">" : "<", c.minValue, c.maxValue, above ? c.maxValue : c.minValue, c.severity,
                    c.stepIndex, checkPoints, marks));
        }
        return new SeriesView(w.deploymentId, out);
    }

    private static SeriesView.BreachMark mark(Breach b) {
        List<Double> observed = Json.doubles(b.observed);
        Double deciding = observed.isEmpty() ? null : observed.get(observed.size() - 1);
        return new SeriesView.BreachMark(b.observedAt, deciding, b.severity, b.episode, b.recoveredAt);
    }

    /**
     * The unit of a check's figure, from the metric naming conventions the built-in checks and the scrape provider
     * use (Prometheus style: a {@code _seconds}/{@code _bytes} suffix, rates and utilisations as fractions); null
     * when the name does not say, and for a ratio against the stable version (a multiple).
     */
    static String unit(String metric, Measure measure) {
        String base;
        if (metric.endsWith("_rate") || metric.endsWith("_utilization") || metric.endsWith("_ratio")) {
            base = "ratio";
        } else if (metric.startsWith("latency_") || metric.endsWith("_seconds")) {
            base = "seconds";
        } else if (metric.endsWith("_bytes")) {
            base = "bytes";
        } else {
            base = null;
        }
        return switch (measure) {
            case VALUE, BASELINE_DIFFERENCE -> base;
            case BASELINE_RATIO -> null;
            case GROWTH_PER_HOUR -> base == null ? null : base + "/h";
        };
    }
}
