package dev.rollwatch.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

/**
 * Memory from {@code /proc} (Linux), in kB; -1 when unknown (not Linux, or the process is gone). Two measures:
 * <ul>
 *   <li>RSS ({@code VmRSS} of {@code /proc/<pid>/status}): every page the process has resident, shared or not. Summed
 *       over processes it counts a shared page once per process that maps it: PostgreSQL's shared buffers in every
 *       backend, the JDK's {@code libjvm.so} and class data archive in every JVM.</li>
 *   <li>PSS ({@code Pss} of {@code /proc/<pid>/smaps_rollup}): each page divided among the processes that map it, so
 *       the PSS of several processes adds up to the memory they really occupy together.</li>
 * </ul>
 */
final class Rss {

    private Rss() {
    }

    static long ofProcess(long pid) {
        return field(pid, "status", "VmRSS:");
    }

    /** The process's proportional share of the memory it maps (kB), or -1. */
    static long pssOfProcess(long pid) {
        return field(pid, "smaps_rollup", "Pss:");
    }

    /** A process and all its descendants (PostgreSQL: the postmaster and its backends and workers). */
    static long ofTree(long pid) {
        return tree(pid, Rss::ofProcess);
    }

    /** The PSS of a process and all its descendants: what they occupy together, each shared page once. */
    static long pssOfTree(long pid) {
        return tree(pid, Rss::pssOfProcess);
    }

    /**
     * CPU time (user + system) the process has used since it started, in ms, from {@code /proc/<pid>/stat} (in clock
     * ticks of 10 ms), or -1.
     */
    static long cpuMillisOfProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name, in parentheses, may hold spaces: the fields are counted after its closing one
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The CPU time of a process and its living descendants (a backend that exited no longer counts), in ms. */
    static long cpuMillisOfTree(long pid) {
        return tree(pid, Rss::cpuMillisOfProcess);
    }

    private static long tree(long pid, LongUnaryOperator measure) {
        long total = measure.applyAsLong(pid);
        if (total < 0) {
            return -1;
        }
        total += ProcessHandle.of(pid).map(p -> p.descendants()
                .mapToLong(d -> Math.max(0, measure.applyAsLong(d.pid()))).sum()).orElse(0L);
        return total;
    }

    private static long field(long pid, String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not on Linux or already gone
        }
        return -1;
    }
}
