package dev.rollwatch.monitor.provider.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression, read by a small lexer: every {@code metric}, {@code metric{…}} and
 * {@code {…}} the expression selects series with, and the label matchers of each. It is not a full PromQL parser:
 * it only has to find every place where series are selected — function and aggregation names (an identifier
 * followed by {@code (}), the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left}, {@code group_right}, keywords, numbers, durations, strings and range/subquery brackets are
 * skipped — and to refuse what it cannot read (an unbalanced bracket, an unterminated string, an unknown character),
 * so that a query it misreads is refused rather than sent.
 * <p>
 * {@link #outsideService} is the scope rule of the {@code prometheus} provider (issue 17, 5): a query a deployer wrote
 * may run only if <em>every</em> selector carries the exact matcher {@code service="<the deployment's service>"}.
 * Further matchers only narrow a selector (Prometheus ANDs them), so they are allowed.
 */
public final class PromqlSelectors {

    /** One label matcher: {@code label op "value"} ({@code op}: {@code =}, {@code !=}, {@code =~}, {@code !~}). */
    public record Matcher(String label, String op, String value) {
    }

    /** One vector selector: the metric name (null for {@code {…}}) and its matchers. */
    public record Selector(String metric, List<Matcher> matchers) {

        /** Whether it carries {@code label="value"} exactly. */
        public boolean has(String label, String value) {
            return matchers.stream().anyMatch(m -> m.label().equals(label) && m.op().equals("=")
                    && m.value().equals(value));
        }
    }

    /** The query could not be read; the message is in fixed words (no part of the query). */
    public static final class UnreadableQuery extends IllegalArgumentException {
        UnreadableQuery(String message) {
            super(message);
        }
    }

    /** Keywords that take a parenthesised label list (not an expression) after them. */
    private static final Set<String> LABEL_LIST = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    /** Keywords that are neither a selector nor a function. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan");

    private enum Kind { IDENT, NUMBER, STRING, PUNCT }

    private record Token(Kind kind, String text) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }
    }

    private PromqlSelectors() {
    }

    /** Every vector selector of {@code query}, in order; throws {@link UnreadableQuery}. */
    public static List<Selector> of(String query) {
        List<Token> tokens = lex(query);
        List<Selector> selectors = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            switch (t.kind()) {
                case IDENT -> {
                    String word = t.text();
                    String lower = word.toLowerCase(Locale.ROOT);
                    if (next != null && next.is("{")) {
                        i = matchers(tokens, i + 1, word, selectors);
                    } else if (LABEL_LIST.contains(lower) && next != null && next.is("(")) {
                        i = skipLabelList(tokens, i + 1);
                    } else if (next != null && (next.is("(") || next.kind() == Kind.IDENT
                            && Set.of("by", "without").contains(next.text().toLowerCase(Locale.ROOT)))) {
                        // a function or aggregation call (sum by (x) (…)): its arguments are read as they come
                        continue;
                    } else if (!KEYWORDS.contains(lower)) {
                        selectors.add(new Selector(word, List.of()));
                    }
                }
                case PUNCT -> {
                    switch (t.text()) {
                        case "{" -> i = matchers(tokens, i, null, selectors);
                        case "(", "[" -> open.add(t.text());
                        case ")" -> close(open, "(");
                        case "]" -> close(open, "[");
                        case "}" -> throw new UnreadableQuery("the query has an unbalanced '}'");
                        default -> {
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (!open.isEmpty()) {
            throw new UnreadableQuery("the query has an unclosed '" + open.get(open.size() - 1) + "'");
        }
        return selectors;
    }

    /**
     * Why {@code query} may not run for {@code service}: a selector without {@code service="<service>"}, no selector at
     * all, or a query that cannot be read. Empty when every selector carries it. The reason is in fixed words and
     * names only the service (never a part of the query).
     */
    public static Optional<String> outsideService(String query, String service) {
        List<Selector> selectors;
        try {
            selectors = of(query);
        } catch (UnreadableQuery e) {
            return Optional.of("query refused: " + e.getMessage());
        }
        if (selectors.isEmpty()) {
            return Optional.of("query refused: it selects no series of service " + service);
        }
        for (int i = 0; i < selectors.size(); i++) {
            if (!selectors.get(i).has("service", service)) {
                return Optional.of("query refused: selector " + (i + 1) + " of " + selectors.size()
                        + " does not carry service=\"" + service + "\" (a query may only read the series of its"
                        + " deployment's service)");
            }
        }
        return Optional.empty();
    }

    private static void close(List<String> open, String expected) {
        if (open.isEmpty() || !open.remove(open.size() - 1).equals(expected)) {
            throw new UnreadableQuery("the query has an unbalanced bracket");
        }
    }

    /** Reads {@code {matcher, …}} starting at the {@code {} at {@code at}; returns the index of its {@code }}. */
    private static int matchers(List<Token> tokens, int at, String metric, List<Selector> selectors) {
        List<Matcher> matchers = new ArrayList<>();
        String name = metric;
        int i = at + 1;
        while (true) {
            Token t = token(tokens, i);
            if (t.is("}")) {
                break;
            }
            if (t.kind() == Kind.STRING && (token(tokens, i + 1).is(",") || token(tokens, i + 1).is("}"))) {
                // Prometheus 3: a quoted metric name inside the braces, {"metric.name", label="x"}
                name = t.text();
                i++;
            } else {
                if (t.kind() != Kind.IDENT && t.kind() != Kind.STRING) {
                    throw new UnreadableQuery("the query has a label matcher without a label name");
                }
                Token op = token(tokens, i + 1);
                if (op.kind() != Kind.PUNCT || !Set.of("=", "!=", "=~", "!~").contains(op.text())) {
                    throw new UnreadableQuery("the query has a label matcher without an operator");
                }
                Token value = token(tokens, i + 2);
                if (value.kind() != Kind.STRING) {
                    throw new UnreadableQuery("the query has a label matcher without a quoted value");
                }
                matchers.add(new Matcher(t.text(), op.text(), value.text()));
                i += 3;
            }
            Token sep = token(tokens, i);
            if (sep.is(",")) {
                i++;
            } else if (!sep.is("}")) {
                throw new UnreadableQuery("the query has label matchers not separated by ','");
            }
        }
        selectors.add(new Selector(name, List.copyOf(matchers)));
        return i;
    }

    /** Skips {@code (label, …)} starting at the {@code (} at {@code at}; returns the index of its {@code )}. */
    private static int skipLabelList(List<Token> tokens, int at) {
        int i = at + 1;
        while (!token(tokens, i).is(")")) {
            Token t = token(tokens, i);
            if (t.kind() != Kind.IDENT && t.kind() != Kind.STRING && !t.is(",")) {
                throw new UnreadableQuery("the query has a grouping label list that is not only label names");
            }
            i++;
        }
        return i;
    }

    private static Token token(List<Token> tokens, int i) {
        if (i >= tokens.size()) {
            throw new UnreadableQuery("the query ends inside a selector or label list");
        }
        return tokens.get(i);
    }

    private static List<Token> lex(String q) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = q.length();
        while (i < n) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && q.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isLetter(c) && c < 128 || c == '_' || c == ':') {
                int start = i;
                while (i < n && (isWordChar(q.charAt(i)))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, q.substring(start, i)));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(q.charAt(i + 1))) {
                // numbers, hex, exponents and durations (5m, 1h30m): digits, letters and dots
                int start = i;
                while (i < n && (isWordChar(q.charAt(i)) || q.charAt(i) == '.'
                        || (q.charAt(i) == '+' || q.charAt(i) == '-') && (q.charAt(i - 1) == 'e'
                        || q.charAt(i - 1) == 'E') && !q.substring(start, i).startsWith("0x"))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, q.substring(start, i)));
            } else if (c == '"' || c == '\'' || c == '`') {
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char s = q.charAt(i);
                    if (s == c) {
                        closed = true;
                        i++;
                        break;
                    }
                    if (s == '\\' && c != '`') {
                        if (i + 1 >= n) {
                            break;
                        }
                        char e = q.charAt(i + 1);
                        value.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                        if (!"ntr\\\"'`".contains(String.valueOf(e))) {
                            // hex, unicode and octal escapes: not worth decoding; refuse rather than misread a label value
                            throw new UnreadableQuery("the query has a string escape this check does not read");
                        }
                        i += 2;
                    } else {
                        value.append(s);
                        i++;
                    }
                }
                if (!closed) {
                    throw new UnreadableQuery("the query has an unterminated string");
                }
                tokens.add(new Token(Kind.STRING, value.toString()));
            } else {
                String two = i + 1 < n ? q.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(new Token(Kind.PUNCT, two));
                    i += 2;
                } else if ("(){}[],=<>+-*/%^@:".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.PUNCT, String.valueOf(c)));
                    i++;
                } else {
                    throw new UnreadableQuery("the query has a character PromQL does not use");
                }
            }
        }
        return tokens;
    }

    private static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == ':');
    }
}
