package dev.rollwatch.infra;

import dev.rollwatch.events.kafka.TopicAcls;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Creates the least-privilege ACLs of {@link TopicAcls} on a broker that runs an authorizer: for each service,
 * WRITE on the topics it produces, READ on those it consumes, WRITE on their dead-letter topics, READ on its
 * consumer group, and nothing else. Run it once as a Kafka administrator after provisioning the topics
 * ({@code docs/security.md}).
 *
 * <p>Arguments: {@code <bootstrap> [--command-config admin.properties] [--principal <service>=User:<name>]...
 * [--dry-run]}. Without {@code --principal}, each service's principal is {@code User:<service>} (e.g.
 * {@code User:monitor-service}). {@code --command-config} holds the administrator's client settings
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.*}). {@code --dry-run}
 * prints the ACLs without connecting.
 */
public final class AclsMain {

    private AclsMain() {
    }

    public static void main(String[] args) throws IOException {
        String bootstrap = "127.0.0.1:9092";
        Path commandConfig = null;
        boolean dryRun = false;
        Map<String, String> principals = new LinkedHashMap<>();
        TopicAcls.SERVICES.forEach(g -> principals.put(g.service(), "User:" + g.service()));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--command-config" -> commandConfig = Path.of(args[++i]);
                case "--dry-run" -> dryRun = true;
                case "--principal" -> {
                    String[] mapping = args[++i].split("=", 2);
                    if (mapping.length != 2 || TopicAcls.of(mapping[0]).isEmpty() || !mapping[1].contains(":")) {
                        fail("--principal wants <service>=<Type:name>, service one of "
                                + TopicAcls.SERVICES.stream().map(TopicAcls.Grant::service).toList() + "; got "
                                + args[i]);
                    }
                    principals.put(mapping[0], mapping[1]);
                }
                case "-h", "--help" -> {
                    System.out.println("usage: AclsMain [bootstrap=127.0.0.1:9092] [--command-config admin.properties]"
                            + " [--principal <service>=User:<name>]... [--dry-run]");
                    return;
                }
                default -> bootstrap = args[i];
            }
        }
        Map<String, List<AclBinding>> plan = new LinkedHashMap<>();
        for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
            plan.put(grant.service(), TopicAcls.bindings(grant, principals.get(grant.service())));
        }
        if (dryRun) {
            plan.forEach((service, acls) -> acls.forEach(a -> System.out.printf("%s\t%s %s %s %s%n", service,
                    a.entry().principal(), a.entry().operation(), a.pattern().resourceType(), a.pattern().name())));
            return;
        }
        Map<String, Object> config = new HashMap<>();
        if (commandConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(commandConfig)) {
                p.load(r);
            }
            p.forEach((k, v) -> config.put(k.toString(), v));
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> done = new ArrayList<>();
        try (Admin admin = Admin.create(config)) {
            for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
                List<AclBinding> acls = TopicAcls.apply(admin, grant, principals.get(grant.service()));
                done.add(grant.service() + " (" + principals.get(grant.service()) + "): " + acls.size());
            }
        } catch (RuntimeException e) {
            fail(e.getMessage());
        }
        System.out.println("rollwatch-acls: created on " + bootstrap + ": " + String.join("; ", done));
    }

    private static void fail(String message) {
        System.err.println("rollwatch-acls: " + message);
        System.exit(1);
    }
}
