package dev.rollwatch.cli;

import dev.rollwatch.cli.watch.SseParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private final List<SseParser.Event> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    private void feed(String text) {
        text.lines().forEach(parser::line);
    }

    @Test
    void namedEventsWithJsonDataAreDispatchedAtTheBlankLine() {
        feed("event: deployment\ndata: {\"status\":\"RUNNING\"}\n\nevent: deployment\ndata:{\"status\":\"SUCCEEDED\"}\n\n");
        assertThat(events).containsExactly(new SseParser.Event("deployment", "{\"status\":\"RUNNING\"}", null),
                new SseParser.Event("deployment", "{\"status\":\"SUCCEEDED\"}", null));
    }

    @Test
    void severalDataLinesJoinWithNewlinesCommentsAndCrAreIgnored() {
        parser.line(": keep-alive");
        parser.line("id: 7\r");
        parser.line("data: {\"a\":\r");
        parser.line("data: 1}\r");
        parser.line("\r");
        assertThat(events).containsExactly(new SseParser.Event("message", "{\"a\":\n1}", "7"));
    }

    @Test
    void anEventNotEndedByABlankLineIsDroppedAndEmptyEventsAreNotDispatched() {
        feed("event: deployment\n\ndata: {\"partial\":true}\n");
        parser.end();
        assertThat(events).isEmpty();
    }

    @Test
    void theNameDoesNotCarryOverToTheNextEvent() {
        feed("event: deployment\ndata: 1\n\ndata: 2\n\n");
        assertThat(events).extracting(SseParser.Event::name).containsExactly("deployment", "message");
    }
}
