package dev.rollwatch.audit.rest;

import java.util.List;

/**
 * A page of the log in position order. {@code nextAfter} is the cursor for the next page (pass it as {@code after});
 * it is null when this page was the last one.
 */
public record EventPage(List<EntryView> entries, Long nextAfter) {
}
