package dev.rollwatch.events.kafka;

import dev.rollwatch.events.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The topic tables of docs/events.md and docs/architecture.md say who produces and who consumes each contract topic:
 * they must say what {@link TopicAcls#SERVICES} grants, or a service author builds against a flow that the broker
 * refuses (or misses one it allows).
 */
class TopicDocsTest {

    /** {@code | `topic` | … | producer | consumers |}: the first cell a topic, the last two producer and consumers. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)`[^|]*\\|(.*)\\|\\s*$");
    private static final Pattern SERVICE = Pattern.compile("\\b(deploy|monitor|rollback|notifier|audit)(-service)?\\b");

    @ParameterizedTest
    @ValueSource(strings = {"events.md", "architecture.md"})
    void theTopicTableIsTheAclTable(String doc) throws IOException {
        Path file = Path.of("..", "docs", doc);
        assumeTrue(Files.isRegularFile(file), "run from the repository's events/ directory");

        Map<String, String> documented = new TreeMap<>();
        Map<String, String> granted = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher row = ROW.matcher(line);
            if (!row.matches() || !Topics.ALL.contains(row.group(1))) {
                continue;
            }
            String[] cells = row.group(2).split("\\|");
            String producer = cells[cells.length - 2];
            String consumers = withoutParentheses(cells[cells.length - 1]);
            documented.put(row.group(1), services(producer) + " -> " + services(consumers));
        }
        for (String topic : Topics.ALL) {
            Map<String, List<String>> roles = new LinkedHashMap<>();
            for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
                String name = grant.service().replace("-service", "");
                if (grant.produces().contains(topic)) {
                    roles.computeIfAbsent("p", k -> new ArrayList<>()).add(name);
                }
                if (grant.consumes().contains(topic)) {
                    roles.computeIfAbsent("c", k -> new ArrayList<>()).add(name);
                }
            }
            granted.put(topic, new TreeSet<>(roles.getOrDefault("p", List.of())) + " -> "
                    + new TreeSet<>(roles.getOrDefault("c", List.of())));
        }

        assertThat(documented).as(doc + " topic table (producer -> consumers)").isEqualTo(granted);
    }

    private static String withoutParentheses(String cell) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : cell.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static TreeSet<String> services(String cell) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = SERVICE.matcher(cell);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
