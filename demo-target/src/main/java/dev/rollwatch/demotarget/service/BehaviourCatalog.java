package dev.rollwatch.demotarget.service;

import dev.rollwatch.demotarget.domain.Behaviour;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which behaviour each version has: a runtime override if one was set, else the bad behaviour for versions listed as
 * bad or containing the bad-version marker, else the good behaviour.
 */
public final class BehaviourCatalog {

    /** Where a version's behaviour comes from. */
    public enum Source {
        GOOD_DEFAULT, BAD_DEFAULT, OVERRIDE
    }

    private final Behaviour good;
    private final Behaviour bad;
    private final Set<String> badVersions;
    private final String badMarker;
    private final Map<String, Behaviour> overrides = new ConcurrentHashMap<>();

    public BehaviourCatalog(Behaviour good, Behaviour bad, Set<String> badVersions, String badMarker) {
        this.good = good;
        this.bad = bad;
        this.badVersions = Set.copyOf(badVersions);
        this.badMarker = badMarker == null ? "" : badMarker.toLowerCase(Locale.ROOT);
    }

    public Behaviour of(String version) {
        Behaviour override = overrides.get(version);
        if (override != null) {
            return override;
        }
        return isBadByDefault(version) ? bad : good;
    }

    public Source sourceOf(String version) {
        if (overrides.containsKey(version)) {
            return Source.OVERRIDE;
        }
        return isBadByDefault(version) ? Source.BAD_DEFAULT : Source.GOOD_DEFAULT;
    }

    public void override(String version, Behaviour behaviour) {
        overrides.put(version, behaviour);
    }

    /** Back to the configured default for this version. */
    public void reset(String version) {
        overrides.remove(version);
    }

    private boolean isBadByDefault(String version) {
        return badVersions.contains(version)
                || (!badMarker.isEmpty() && version.toLowerCase(Locale.ROOT).contains(badMarker));
    }
}
