package dev.rollwatch.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory from {@code /proc} (Linux), in kB; -1 when unknown (not Linux, or the process is gone). */
final class Rss {

    private Rss() {
    }

    static long ofProcess(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not on Linux or already gone
        }
        return -1;
    }

    /** A process and all its descendants (PostgreSQL: the postmaster and its backends and workers). */
    static long ofTree(long pid) {
        long total = ofProcess(pid);
        if (total < 0) {
            return -1;
        }
        total += ProcessHandle.of(pid).map(p -> p.descendants().mapToLong(d -> Math.max(0, ofProcess(d.pid()))).sum())
                .orElse(0L);
        return total;
    }
}
