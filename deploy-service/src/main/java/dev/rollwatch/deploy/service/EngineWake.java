package dev.rollwatch.deploy.service;

import java.util.UUID;

/** Fired in a transaction that gave the engine something to do; the engine reacts once it commits. */
public record EngineWake(UUID deploymentId) {
}
