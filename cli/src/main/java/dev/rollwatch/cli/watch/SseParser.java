package dev.rollwatch.cli.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Server-Sent Events, line by line, as the HTML living standard parses them: {@code event:}, {@code data:}
 * (several join with a newline), {@code id:}; comments ({@code :...}) ignored; a blank line dispatches the event
 * (an event with no data is not dispatched). Fed one line at a time, so it works on a live stream.
 */
public final class SseParser {

    /** One dispatched event; {@code name} is {@code message} when the stream named none. */
    public record Event(String name, String data, String id) {
    }

    private final Consumer<Event> sink;
    private final List<String> data = new ArrayList<>();
    private String name;
    private String lastId;

    public SseParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    public void line(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "data" -> data.add(value);
            case "id" -> lastId = value;
            default -> {
                // retry and unknown fields: nothing to do for a client that does not reconnect on its own
            }
        }
    }

    /** End of stream: an event not yet terminated by a blank line is dropped, as the standard says. */
    public void end() {
        data.clear();
        name = null;
    }

    private void dispatch() {
        if (!data.isEmpty()) {
            sink.accept(new Event(name == null || name.isEmpty() ? "message" : name, String.join("\n", data), lastId));
        }
        data.clear();
        name = null;
    }
}
