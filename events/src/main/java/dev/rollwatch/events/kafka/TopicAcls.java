package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.rollwatch.events.Topics.ANALYSIS_COMPLETED;
import static dev.rollwatch.events.Topics.APPROVAL_REQUESTS;
import static dev.rollwatch.events.Topics.BAKE_CHECKPOINTS;
import static dev.rollwatch.events.Topics.ROLLBACK_VERIFICATIONS;
import static dev.rollwatch.events.Topics.AUDIT_CHECKPOINTS;
import static dev.rollwatch.events.Topics.AUDIT_REPLAY;
import static dev.rollwatch.events.Topics.DEPLOYMENT_COMMANDS;
import static dev.rollwatch.events.Topics.DEPLOYMENT_FINISHED;
import static dev.rollwatch.events.Topics.DEPLOYMENT_STARTED;
import static dev.rollwatch.events.Topics.METRIC_SAMPLES;
import static dev.rollwatch.events.Topics.NOTIFICATION_OUTCOMES;
import static dev.rollwatch.events.Topics.POLICY_CHANGES;
import static dev.rollwatch.events.Topics.ROLLBACK_COMPLETED;
import static dev.rollwatch.events.Topics.ROLLBACK_DECISIONS;
import static dev.rollwatch.events.Topics.ROLLBACK_ESCALATED;
import static dev.rollwatch.events.Topics.ROLLBACK_REQUESTED;
import static dev.rollwatch.events.Topics.STEP_COMPLETED;
import static dev.rollwatch.events.Topics.STEP_STARTED;
import static dev.rollwatch.events.Topics.THRESHOLD_BREACHED;
import static dev.rollwatch.events.Topics.THRESHOLD_RECOVERED;

/**
 * Least-privilege Kafka ACLs per service: which topics each service may write (the topics it is the single
 * producer of), which it may read, its consumer group, and the dead-letter topics of what it reads. Applied with a
 * broker authorizer and one principal per service, a compromised service cannot forge another service's events:
 * the monitor cannot write {@code rollback-requested}, so only the rollback service can ask for a rollback.
 * {@code docs/security.md} explains how to apply it ({@code tools/infra}'s {@code AclsMain}).
 */
public final class TopicAcls {

    /** One service's rights. {@code group} is its consumer group id (the application name). */
    public record Grant(String service, List<String> produces, List<String> consumes) {
        public Grant {
            produces = List.copyOf(produces);
            consumes = List.copyOf(consumes);
        }

        public String group() {
            return service;
        }
    }

    /** The table: every service, what it produces and what it consumes. */
    public static final List<Grant> SERVICES = List.of(
            new Grant("deploy-service",
                    List.of(DEPLOYMENT_STARTED, STEP_STARTED, STEP_COMPLETED, ROLLBACK_COMPLETED, DEPLOYMENT_FINISHED,
                            DEPLOYMENT_COMMANDS, APPROVAL_REQUESTS),
                    List.of(ANALYSIS_COMPLETED, ROLLBACK_REQUESTED, BAKE_CHECKPOINTS)),
            new Grant("monitor-service",
                    List.of(ANALYSIS_COMPLETED, THRESHOLD_BREACHED, THRESHOLD_RECOVERED, ROLLBACK_VERIFICATIONS,
                            BAKE_CHECKPOINTS),
                    List.of(DEPLOYMENT_STARTED, STEP_STARTED, STEP_COMPLETED, DEPLOYMENT_FINISHED, METRIC_SAMPLES,
                            ROLLBACK_REQUESTED, ROLLBACK_COMPLETED)),
            new Grant("rollback-service",
                    List.of(ROLLBACK_REQUESTED, ROLLBACK_ESCALATED, ROLLBACK_DECISIONS, POLICY_CHANGES),
                    List.of(DEPLOYMENT_STARTED, STEP_COMPLETED, THRESHOLD_BREACHED, THRESHOLD_RECOVERED,
                            ROLLBACK_COMPLETED, DEPLOYMENT_FINISHED, ROLLBACK_VERIFICATIONS)),
            new Grant("notifier-service",
                    List.of(NOTIFICATION_OUTCOMES),
                    List.of(DEPLOYMENT_STARTED, THRESHOLD_BREACHED, ROLLBACK_REQUESTED, ROLLBACK_COMPLETED,
                            DEPLOYMENT_FINISHED, ROLLBACK_ESCALATED, ROLLBACK_DECISIONS, STEP_STARTED, STEP_COMPLETED,
                            APPROVAL_REQUESTS, BAKE_CHECKPOINTS, ROLLBACK_VERIFICATIONS)),
            new Grant("audit-service",
                    List.of(AUDIT_CHECKPOINTS, AUDIT_REPLAY),
                    Topics.ALL));

    private TopicAcls() {
    }

    public static Optional<Grant> of(String service) {
        return SERVICES.stream().filter(g -> g.service().equals(service)).findFirst();
    }

    /**
     * The ACLs of a service for {@code principal} (e.g. {@code User:monitor-service}): WRITE and DESCRIBE on what it
     * produces, READ and DESCRIBE on what it consumes, WRITE on the dead-letter topic of each topic it consumes,
     * READ on its consumer group; and WRITE and DESCRIBE on {@link Topics#PRODUCER_WARMUP} for a service that produces
     * anything (its start-up warm-up sends there; nobody reads it). Nothing else: no CREATE (topics are provisioned by an administrator, see
     * {@link TopicProvisioner}), no ALTER, no cluster rights.
     */
    public static List<AclBinding> bindings(Grant grant, String principal) {
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (String topic : grant.produces()) {
            acls.add(allow(ResourceType.TOPIC, topic, principal, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, topic, principal, AclOperation.DESCRIBE));
        }
        for (String topic : grant.consumes()) {
            acls.add(allow(ResourceType.TOPIC, topic, principal, AclOperation.READ));
            acls.add(allow(ResourceType.TOPIC, topic, principal, AclOperation.DESCRIBE));
            acls.add(allow(ResourceType.TOPIC, Topics.dlq(topic), principal, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, Topics.dlq(topic), principal, AclOperation.DESCRIBE));
        }
        if (!grant.produces().isEmpty()) {
            acls.add(allow(ResourceType.TOPIC, Topics.PRODUCER_WARMUP, principal, AclOperation.WRITE));
            acls.add(allow(ResourceType.TOPIC, Topics.PRODUCER_WARMUP, principal, AclOperation.DESCRIBE));
        }
        if (!grant.consumes().isEmpty()) {
            acls.add(allow(ResourceType.GROUP, grant.group(), principal, AclOperation.READ));
        }
        return new ArrayList<>(acls);
    }

    /** Creates the bindings on the broker (creating an ACL that exists already is a no-op for Kafka). */
    public static List<AclBinding> apply(Admin admin, Grant grant, String principal) {
        List<AclBinding> acls = bindings(grant, principal);
        try {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            return acls;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the ACLs of " + grant.service() + " for " + principal
                    + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    private static AclBinding allow(ResourceType type, String name, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
