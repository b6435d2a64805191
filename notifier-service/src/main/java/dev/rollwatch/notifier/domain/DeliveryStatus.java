package dev.rollwatch.notifier.domain;

/** PENDING until the worker delivers it (DELIVERED) or gives up (FAILED); both end states are final. */
public enum DeliveryStatus { PENDING, DELIVERED, FAILED }
