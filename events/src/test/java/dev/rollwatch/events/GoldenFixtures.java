package dev.rollwatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The golden fixtures as they are on the classpath ({@code golden/v<major>/<type>[--<variant>].json}, the files
 * the events jar ships), read as raw bytes.
 */
final class GoldenFixtures {

    static final String ROOT = "golden";

    private GoldenFixtures() {
    }

    /**
     * One stored fixture.
     *
     * @param path         resource path, e.g. {@code golden/v1/dev.rollwatch.step.started.v1.json}
     * @param directory    the major-version directory, e.g. {@code v1}
     * @param typeFromName the CloudEvents type its file name claims
     * @param bytes        the exact stored bytes
     */
    record Fixture(String path, String directory, String typeFromName, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        ObjectNode tree() {
            try {
                return (ObjectNode) EventCodec.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(path + " is not JSON", e);
            }
        }

        ObjectNode data() {
            JsonNode data = tree().get("data");
            return (ObjectNode) data;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** Every fixture under {@code golden/}, sorted by path. */
    static List<Fixture> all() {
        URL root = GoldenFixtures.class.getClassLoader().getResource(ROOT);
        if (root == null) {
            throw new IllegalStateException("no " + ROOT + "/ directory on the classpath");
        }
        try {
            URI uri = root.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(ROOT));
                }
            }
            return read(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Fixture> read(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                    .map(p -> fixture(root, p))
                    .sorted((a, b) -> a.path().compareTo(b.path()))
                    .toList();
        }
    }

    private static Fixture fixture(Path root, Path file) {
        Path relative = root.relativize(file);
        String directory = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
        String name = file.getFileName().toString();
        String base = name.substring(0, name.length() - ".json".length());
        int variant = base.indexOf("--");
        String type = variant >= 0 ? base.substring(0, variant) : base;
        try {
            return new Fixture(ROOT + "/" + relative.toString().replace('\\', '/'), directory, type,
                    Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored fixture of each event type that has no variant suffix. */
    static Fixture primary(EventType type) {
        return all().stream()
                .filter(f -> f.path().endsWith("/" + type.type() + ".json"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no golden fixture " + type.type() + ".json"));
    }
}
