package org.calsdk.ical.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.ical.ICalendar;

/**
 * The framing and content-line layer of iCalendar (RFC 5545 §3.1), written to read what real producers
 * write: CRLF, LF, CR or mixed line endings, folding after any of them (space or tab), a UTF-8 byte-order
 * mark, blank lines, trailing whitespace on BEGIN/END lines, multi-valued and RFC 6868 caret-encoded
 * parameters, and backslash-escaped {@code ;} {@code ,} {@code :} in unquoted parameter values (iOS 26).
 *
 * <p>The result is a tree of {@link Comp}onents holding {@link Prop}erties whose values are still
 * escaped (TEXT unescaping is the reader's job, per property). Every logical line keeps the number of the
 * physical line it starts on, for messages. What cannot be read is recorded as a {@link Problem} tied to
 * the innermost open component, never silently dropped; only the bounds (component count, nesting depth)
 * and input that holds no VCALENDAR at all throw.
 *
 * <p>ical4j's own parser is not used here: its relaxed modes are JVM-wide switches
 * ({@code CompatibilityHints}), and it stops at the first bad line of a file, so one broken event would
 * sink every other one.
 */
final class IcsLexer {
    /** Components that live directly in a VCALENDAR and never inside one another. */
    private static final java.util.Set<String> TOP_LEVEL =
            java.util.Set.of("VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY");

    /** Problems kept per parse; more are counted, not kept (bounded memory on fuzz input). */
    static final int MAX_PROBLEMS = 1_000;

    /** A parameter: its name (upper case) and one or more values, unquoted and caret-decoded. */
    record Param(String name, List<String> values) {
        String value() {
            return values.size() == 1 ? values.get(0) : String.join(",", values);
        }
    }

    /** A content line: name (upper case), parameters, raw value (escapes not yet undone), physical line. */
    record Prop(String name, List<Param> params, String value, int line) {
        Optional<String> param(String paramName) {
            for (Param p : params) {
                if (p.name().equals(paramName)) {
                    return Optional.of(p.value());
                }
            }
            return Optional.empty();
        }
    }

    /** A component between BEGIN and END. */
    static final class Comp {
        final String name;
        final int line;
        final Comp parent;
        final List<Prop> props = new ArrayList<>();
        final List<Comp> children = new ArrayList<>();
        boolean terminated;

        Comp(String name, int line, Comp parent) {
            this.name = name;
            this.line = line;
            this.parent = parent;
        }

        Optional<Prop> prop(String propName) {
            for (Prop p : props) {
                if (p.name().equals(propName)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Something that could not be read; {@code comp} is the innermost open component, or null;
     * {@code bareComponent} names a component found outside every VCALENDAR, or is null.
     */
    record Problem(int line, String message, Comp comp, String bareComponent) {
        Problem(int line, String message, Comp comp) {
            this(line, message, comp, null);
        }
    }

    /** The lexed input: its VCALENDARs, problems, and how many problems were not kept. */
    record Doc(List<Comp> calendars, List<Problem> problems, int droppedProblems) {}

    private final List<Comp> calendars = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Deque<Comp> open = new ArrayDeque<>();
    private int droppedProblems;
    private int components;
    private int outsideRunStart = -1;

    private IcsLexer() {}

    static Doc lex(String text) {
        IcsLexer l = new IcsLexer();
        l.run(text);
        return new Doc(l.calendars, l.problems, l.droppedProblems);
    }

    private void run(String text) {
        int n = text.length();
        int i = 0;
        while (i < n && text.charAt(i) == '\uFEFF') { // a byte-order mark (some tools write it twice)
            i++;
        }
        int physical = 1;
        StringBuilder logical = null;
        int logicalLine = 0;
        while (i < n) {
            int j = i;
            while (j < n && text.charAt(j) != '\r' && text.charAt(j) != '\n') {
                j++;
            }
            int next = j;
            if (j < n) {
                next = text.charAt(j) == '\r' && j + 1 < n && text.charAt(j + 1) == '\n' ? j + 2 : j + 1;
            }
            char first = j > i ? text.charAt(i) : 0;
            if ((first == ' ' || first == '\t') && logical != null) {
                logical.append(text, i + 1, j); // a fold: continues the logical line, across blank lines too
            } else if (!isBlank(text, i, j)) {
                if (logical != null) {
                    line(logical.toString(), logicalLine);
                }
                logical = new StringBuilder(j - i);
                logical.append(text, i, j);
                if (first == ' ' || first == '\t') { // leading whitespace with nothing to continue
                    String s = logical.toString().strip();
                    logical.setLength(0);
                    logical.append(s);
                }
                logicalLine = physical;
            }
            physical++;
            i = next;
        }
        if (logical != null) {
            line(logical.toString(), logicalLine);
        }
        endOfInput();
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (!Character.isWhitespace(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private void line(String text, int lineNo) {
        Prop p = contentLine(text, lineNo);
        if (p == null) {
            return;
        }
        if (p.name().equals("BEGIN")) {
            begin(p.value().strip().toUpperCase(Locale.ROOT), lineNo);
        } else if (p.name().equals("END")) {
            end(p.value().strip().toUpperCase(Locale.ROOT), lineNo);
        } else if (open.isEmpty()) {
            outside(lineNo);
        } else {
            outsideRunStart = -1;
            open.peek().props.add(p);
        }
    }

    private void begin(String name, int lineNo) {
        if (++components > ICalendar.MAX_COMPONENTS) {
            throw new MalformedDataException(
                    "iCalendar input has more than " + ICalendar.MAX_COMPONENTS + " components");
        }
        if (open.size() >= IcsReader.MAX_DEPTH) {
            throw new MalformedDataException(
                    "iCalendar components are nested deeper than " + IcsReader.MAX_DEPTH + " levels");
        }
        if (TOP_LEVEL.contains(name)) {
            // VEVENT, VTODO, ... never nest: an open one was left without its END (it is left out), and
            // this one is read as the sibling it is meant to be rather than hidden inside the broken one
            boolean openTopLevel = false;
            for (Comp o : open) {
                openTopLevel |= TOP_LEVEL.contains(o.name);
            }
            while (openTopLevel) {
                Comp o = open.pop();
                openTopLevel = !TOP_LEVEL.contains(o.name);
                problem(
                        o.line,
                        "BEGIN:" + shortName(o.name) + " has no END:" + shortName(o.name) + " before BEGIN:"
                                + shortName(name) + " at line " + lineNo + "; it is left out",
                        o);
            }
        }
        Comp parent = open.peek();
        Comp c = new Comp(name, lineNo, parent);
        if (parent != null) {
            parent.children.add(c);
        } else if (name.equals("VCALENDAR")) {
            calendars.add(c);
        } else {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new Problem(
                        lineNo, "BEGIN:" + shortName(name) + " outside a VCALENDAR is ignored", null, name));
            } else {
                droppedProblems++;
            }
        }
        outsideRunStart = -1;
        open.push(c);
    }

    private void end(String name, int lineNo) {
        boolean known = false;
        for (Comp c : open) {
            if (c.name.equals(name)) {
                known = true;
                break;
            }
        }
        if (!known) {
            problem(lineNo, "END:" + shortName(name) + " without a matching BEGIN is ignored", open.peek());
            return;
        }
        while (true) {
            Comp c = open.pop();
            if (c.name.equals(name)) {
                c.terminated = true;
                return;
            }
            problem(
                    c.line,
                    "BEGIN:" + shortName(c.name) + " has no END:" + shortName(c.name) + " before END:" + shortName(name)
                            + " at line " + lineNo + "; it is left out",
                    c);
        }
    }

    private void endOfInput() {
        while (!open.isEmpty()) {
            Comp c = open.pop();
            problem(
                    c.line,
                    "BEGIN:" + shortName(c.name) + " has no END:" + shortName(c.name)
                            + " (the input ends first: truncated?)"
                            + (c.name.equals("VCALENDAR") ? "" : "; it is left out"),
                    c);
        }
    }

    /** Content outside every component: reported once per run of such lines. */
    private void outside(int lineNo) {
        if (outsideRunStart < 0) {
            outsideRunStart = lineNo;
            problem(lineNo, "content outside a VCALENDAR is ignored", null);
        }
    }

    private void problem(int lineNo, String message, Comp comp) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(lineNo, message, comp));
        } else {
            droppedProblems++;
        }
    }

    private static String shortName(String name) {
        return IcsTimes.shorten(name);
    }

    /**
     * Parses {@code name *(";" param) ":" value}. A line that is not one is recorded as a problem of the
     * innermost open component and skipped (null).
     */
    private Prop contentLine(String s, int lineNo) {
        int n = s.length();
        int p = 0;
        while (p < n && s.charAt(p) != ';' && s.charAt(p) != ':') {
            p++;
        }
        String name = s.substring(0, p).strip().toUpperCase(Locale.ROOT);
        if (p == n || !validName(name)) {
            if (open.isEmpty()) {
                outside(lineNo);
            } else {
                problem(lineNo, "not a content line (" + IcsTimes.shorten(s.strip()) + ") is skipped", open.peek());
            }
            return null;
        }
        List<Param> params = List.of();
        while (p < n && s.charAt(p) == ';') {
            p++;
            int q = p;
            while (q < n && s.charAt(q) != '=' && s.charAt(q) != ';' && s.charAt(q) != ':') {
                q++;
            }
            String pname = s.substring(p, q).strip().toUpperCase(Locale.ROOT);
            List<String> values = new ArrayList<>(1);
            if (q < n && s.charAt(q) == '=') {
                q++;
                while (true) {
                    StringBuilder v = new StringBuilder();
                    if (q < n && s.charAt(q) == '"') {
                        int close = s.indexOf('"', q + 1);
                        if (close < 0) {
                            problem(
                                    lineNo,
                                    name + ": parameter " + IcsTimes.shorten(pname)
                                            + " has an unterminated quoted value; the line is skipped",
                                    open.peek());
                            return null;
                        }
                        v.append(s, q + 1, close);
                        q = close + 1;
                    }
                    // unquoted text, or junk after a closing quote, up to the next delimiter; \; \, \: are literal
                    while (q < n) {
                        char c = s.charAt(q);
                        if (c == '\\'
                                && q + 1 < n
                                && (s.charAt(q + 1) == ';' || s.charAt(q + 1) == ',' || s.charAt(q + 1) == ':')) {
                            v.append(s.charAt(q + 1));
                            q += 2;
                            continue;
                        }
                        if (c == ';' || c == ',' || c == ':') {
                            break;
                        }
                        v.append(c);
                        q++;
                    }
                    values.add(caretDecode(v.toString()));
                    if (q < n && s.charAt(q) == ',') {
                        q++;
                        continue;
                    }
                    break;
                }
            } else {
                values.add(""); // a parameter without "=" (vCalendar 1.0 style, e.g. ";RSVP"): kept with no value
            }
            if (!pname.isEmpty()) {
                if (params.isEmpty()) {
                    params = new ArrayList<>(4);
                }
                params.add(new Param(pname, List.copyOf(values)));
            }
            p = q;
        }
        if (p >= n || s.charAt(p) != ':') {
            problem(lineNo, name + ": no ':' before the value; the line is skipped", open.peek());
            return null;
        }
        return new Prop(name, params, s.substring(p + 1), lineNo);
    }

    private static boolean validName(String name) {
        if (name.isEmpty() || name.length() > 200) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6868: ^n newline, ^' double quote, ^^ caret; any other ^ is literal. */
    static String caretDecode(String v) {
        if (v.indexOf('^') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '^' && k + 1 < v.length()) {
                char d = v.charAt(k + 1);
                if (d == 'n' || d == 'N') {
                    sb.append('\n');
                    k++;
                    continue;
                } else if (d == '\'') {
                    sb.append('"');
                    k++;
                    continue;
                } else if (d == '^') {
                    sb.append('^');
                    k++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Undoes TEXT escaping (RFC 5545 §3.3.11): \\ \; \, \n \N; an unknown escape keeps its character. */
    static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '\\' && k + 1 < v.length()) {
                char d = v.charAt(++k);
                sb.append(d == 'n' || d == 'N' ? '\n' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
