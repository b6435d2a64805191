package dev.rollwatch.rollback.repository;

import dev.rollwatch.rollback.domain.SucceededVersion;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

@ApplicationScoped
public class SucceededVersionRepository implements PanacheRepositoryBase<SucceededVersion, SucceededVersion.Key> {

    /** Records a SUCCEEDED deployment (once). */
    public void record(String service, String environment, String deploymentId, String version, Instant at) {
        SucceededVersion.Key key = new SucceededVersion.Key(service, environment, deploymentId);
        if (findByIdOptional(key).isPresent()) {
            return;
        }
        SucceededVersion v = new SucceededVersion();
        v.key = key;
        v.version = version;
        v.finishedAt = at;
        persist(v);
    }

    /** Whether {@code version} once finished SUCCEEDED in the environment. */
    public boolean succeeded(String service, String environment, String version) {
        return count("key.service = ?1 and key.environment = ?2 and version = ?3", service, environment,
                version) > 0;
    }

    public Optional<SucceededVersion> of(String service, String environment, String deploymentId) {
        return findByIdOptional(new SucceededVersion.Key(service, environment, deploymentId));
    }

    /** The latest SUCCEEDED deployment of the version in the environment. */
    public Optional<SucceededVersion> latestOfVersion(String service, String environment, String version) {
        return find("key.service = ?1 and key.environment = ?2 and version = ?3", Sort.descending("finishedAt"),
                service, environment, version).firstResultOptional();
    }

    /** The latest SUCCEEDED deployment of the environment other than {@code version}, not rolled back since. */
    public Optional<SucceededVersion> latestOtherThan(String service, String environment, String version) {
        return find("key.service = ?1 and key.environment = ?2 and rolledBackAt is null and version <> ?3",
                Sort.descending("finishedAt"), service, environment, version).firstResultOptional();
    }
}
