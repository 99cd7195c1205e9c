package org.calsdk.ical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.calsdk.model.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metamorphic: every iCalendar test file of this module ({@code realworld/*.ics}, the series of
 * {@link ICalendarTest}, and the writer's own output), rewritten with LF, CR, CRLF or mixed line endings,
 * with a byte-order mark, refolded at other widths with spaces or tabs, with blank lines between lines
 * and trailing white space on BEGIN/END lines, reads to exactly the same events and the same problems
 * (line numbers aside, since refolding moves them).
 */
class LineEndingMetamorphicTest {
    private static final Pattern FOLD = Pattern.compile("(\r\n|\r|\n)[ \t]");
    private static final Pattern EOL = Pattern.compile("\r\n|\r|\n");
    private static final Pattern LINE_NO = Pattern.compile("line \\d+");

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        Map<String, String> docs = new java.util.LinkedHashMap<>();
        Path dir =
                Path.of(LineEndingMetamorphicTest.class.getResource("realworld").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".ics"))
                    .sorted()
                    .forEach(p -> docs.put(
                            p.getFileName().toString(),
                            RealWorldIcsTest.fixture(p.getFileName().toString())));
        }
        assertThat(docs).hasSizeGreaterThanOrEqualTo(4);
        docs.put("ICalendarTest.BERLIN_SERIES", ICalendarTest.BERLIN_SERIES);
        docs.put("written", ICalendar.write(ICalendar.parse(ICalendarTest.BERLIN_SERIES)));

        Map<String, UnaryOperator<String>> transforms = new java.util.LinkedHashMap<>();
        transforms.put("LF", t -> endings(t, "\n"));
        transforms.put("CR", t -> endings(t, "\r"));
        transforms.put("CRLF", t -> endings(t, "\r\n"));
        transforms.put("mixed", t -> mixed(t));
        transforms.put("BOM+CRLF", t -> "\uFEFF" + endings(t, "\r\n"));
        transforms.put("BOM+LF", t -> "\uFEFF" + endings(t, "\n"));
        for (int width : new int[] {1, 7, 40, 75}) {
            transforms.put("refold " + width + " CRLF space", t -> refold(t, width, "\r\n", " "));
            transforms.put("refold " + width + " LF tab", t -> refold(t, width, "\n", "\t"));
        }
        transforms.put("refold 13 CR space", t -> refold(t, 13, "\r", " "));
        transforms.put("refold 9 mixed", t -> mixed(refold(t, 9, "\r\n", " ")));
        transforms.put("unfolded", t -> String.join("\r\n", logicalLines(t)) + "\r\n");
        transforms.put("blank lines", t -> String.join("\r\n\r\n", logicalLines(t)) + "\r\n\r\n");
        transforms.put("trailing white space", t -> {
            StringBuilder sb = new StringBuilder();
            for (String l : logicalLines(t)) {
                sb.append(l)
                        .append(l.startsWith("BEGIN:") || l.startsWith("END:") ? " \t " : "")
                        .append("\n");
            }
            return sb.toString();
        });

        List<Arguments> out = new ArrayList<>();
        docs.forEach((name, text) -> transforms.forEach((tname, f) -> out.add(Arguments.of(name, tname, text, f))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void sameEventsAndProblemsWhateverTheFraming(String name, String transform, String text, UnaryOperator<String> f) {
        ParseResult expected = ICalendar.read(text);
        String changed = f.apply(text);
        ParseResult got = ICalendar.read(changed);
        List<Event> events = got.events();
        assertThat(events).isEqualTo(expected.events());
        assertThat(shape(got.problems())).isEqualTo(shape(expected.problems()));
        assertThat(got.unlistedProblems()).isEqualTo(expected.unlistedProblems());
    }

    private static List<String> shape(List<ParseProblem> problems) {
        return problems.stream()
                .map(p -> p.component() + "|" + p.uid() + "|"
                        + LINE_NO.matcher(p.message()).replaceAll("line #"))
                .toList();
    }

    static List<String> logicalLines(String text) {
        String unfolded = FOLD.matcher(text).replaceAll("");
        List<String> out = new ArrayList<>();
        for (String l : EOL.split(unfolded)) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    static String endings(String text, String eol) {
        return EOL.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(eol));
    }

    /** Physical lines end in CRLF, LF and CR in turn. */
    static String mixed(String text) {
        String[] eols = {"\r\n", "\n", "\r"};
        StringBuilder sb = new StringBuilder();
        String[] lines = EOL.split(text, -1);
        for (int i = 0; i < lines.length; i++) {
            sb.append(lines[i]);
            if (i < lines.length - 1) {
                sb.append(eols[i % 3]);
            }
        }
        return sb.toString();
    }

    /** Every logical line folded after {@code width} characters (counted in UTF-16 units, as a crude producer would). */
    static String refold(String text, int width, String eol, String fold) {
        StringBuilder sb = new StringBuilder();
        for (String l : logicalLines(text)) {
            for (int i = 0; i < l.length(); i += width) {
                if (i > 0) {
                    sb.append(eol).append(fold);
                }
                sb.append(l, i, Math.min(l.length(), i + width));
            }
            sb.append(eol);
        }
        return sb.toString();
    }
}
