package dev.rollwatch.infra;

import dev.rollwatch.events.kafka.TopicProvisioner;

import java.util.List;

/**
 * Creates every Rollwatch topic (contract topics, their DLQs, {@code audit-replay}) that is missing on a broker,
 * through {@link TopicProvisioner#ensureTopics}. Used by {@code ./rollwatch up}; exits non-zero when the broker
 * cannot be reached or a topic cannot be created.
 *
 * <p>Arguments: {@code [bootstrap] [--partitions N] [--replication-factor N]}; defaults {@code 127.0.0.1:9092},
 * {@value TopicProvisioner#DEFAULT_PARTITIONS} partitions, replication factor 1.
 */
public final class TopicsMain {

    private TopicsMain() {
    }

    public static void main(String[] args) {
        String bootstrap = "127.0.0.1:9092";
        int partitions = TopicProvisioner.DEFAULT_PARTITIONS;
        short replicationFactor = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--replication-factor" -> replicationFactor = Short.parseShort(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: TopicsMain [bootstrap=127.0.0.1:9092] [--partitions 3] [--replication-factor 1]");
                    return;
                }
                default -> bootstrap = args[i];
            }
        }
        try {
            List<String> created = TopicProvisioner.ensureTopics(bootstrap, partitions, replicationFactor);
            int total = TopicProvisioner.allTopics().size();
            if (created.isEmpty()) {
                System.out.printf("rollwatch-topics: all %d topics exist on %s%n", total, bootstrap);
            } else {
                System.out.printf("rollwatch-topics: created %d of %d topics on %s (%d partitions, RF %d): %s%n",
                        created.size(), total, bootstrap, partitions, replicationFactor,
                        String.join(", ", created.stream().sorted().toList()));
            }
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            System.err.println("rollwatch-topics: " + e.getMessage() + (cause != e ? " (" + cause + ")" : ""));
            System.exit(1);
        }
    }
}
