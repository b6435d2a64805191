package dev.rollwatch.notifier.service;

import java.util.List;
import java.util.UUID;

/** Fired in the consumer's transaction; observed after commit to start delivering at once. */
public record DeliveriesRecorded(List<UUID> ids) {
}
