package dev.rollwatch.notifier.repository;

import dev.rollwatch.notifier.domain.Channel;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@ApplicationScoped
public class ChannelRepository implements PanacheRepositoryBase<Channel, String> {

    /** Names of the channels a route may deliver to right now. */
    public Set<String> usableNames() {
        return list("enabled", true).stream().map(c -> c.name).collect(Collectors.toSet());
    }

    public List<Channel> listOrdered() {
        return list("order by name");
    }
}
