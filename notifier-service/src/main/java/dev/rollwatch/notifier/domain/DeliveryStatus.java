package dev.rollwatch.notifier.domain;

/**
 * PENDING until the worker delivers it (DELIVERED) or gives up (FAILED); GROUPED: a repeat of an alert that was
 * sent within the flood-control window, counted on that delivery instead of being sent. All but PENDING are final.
 */
public enum DeliveryStatus { PENDING, DELIVERED, FAILED, GROUPED }
