package dev.rollwatch.events;

/** The comparison that breached: {@code observed <operator> threshold} held. */
public enum Operator {
    GT(">"), GTE(">="), LT("<"), LTE("<=");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean holds(double observed, double threshold) {
        return switch (this) {
            case GT -> observed > threshold;
            case GTE -> observed >= threshold;
            case LT -> observed < threshold;
            case LTE -> observed <= threshold;
        };
    }
}
