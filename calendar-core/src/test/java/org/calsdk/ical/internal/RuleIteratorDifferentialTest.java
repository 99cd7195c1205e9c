package org.calsdk.ical.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.WeekFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the RRULE engine against python-dateutil's {@code rrulestr}: a few thousand rules
 * (every part, every frequency) generated with a fixed seed, expanded by both, compared exactly. One
 * Python process handles the whole batch (JSON lines over stdin/stdout).
 *
 * <p>Known, justified differences (anything else fails the test):
 * <ol>
 *   <li><b>WEEKLY with BYSETPOS, first week.</b> dateutil builds the first weekly set from DTSTART to the
 *   end of that week, so BYSETPOS counts only the days from DTSTART on. RFC 5545 §3.3.10 defines
 *   BYSETPOS over "the set of recurrence instances in the interval", and a WEEKLY interval is a whole
 *   week starting on WKST; we count from the week's start (instances before DTSTART are then dropped,
 *   §3.8.5.3: "the recurrence set ... starts with DTSTART"). Only the first week can differ.</li>
 *   <li><b>BYWEEKNO at year boundaries.</b> dateutil miscounts the weeks of the previous year for the
 *   first days of January (its {@code lnumweeks} uses the wrong year's length), and does not match a
 *   negative week number for late-December days that belong to the next year's week 1. RFC 5545
 *   §3.3.10 uses ISO 8601 week numbering with WKST; the disputed date is checked independently with
 *   {@code java.time.temporal.WeekFields}.</li>
 *   <li><b>Rules dateutil refuses.</b> dateutil raises for some rules whose BYHOUR/BYMINUTE/BYSECOND can
 *   never be reached with the INTERVAL (e.g. {@code FREQ=HOURLY;INTERVAL=2;BYHOUR=3} from an even
 *   hour). RFC 5545 makes them valid rules with an empty set; we return no instances.</li>
 * </ol>
 * In CI ({@code CI=true}) a missing python3/dateutil fails the test; elsewhere it is skipped loudly.
 */
class RuleIteratorDifferentialTest {
    private static final int CASES = 3000;
    private static final int MAX = 50;
    private static final long SEED = 20260301L;
    private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");
    private static final String[] DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

    record Case(int id, String rule, LocalDateTime dtstart, LocalDateTime horizon) {}

    @Test
    void agreesWithDateutil() throws Exception {
        requirePython();
        List<Case> cases = generate();
        long t0 = System.nanoTime();
        Map<Integer, JsonNode> oracle = runOracle(cases);
        long t1 = System.nanoTime();
        assertThat(oracle).hasSize(cases.size());

        List<String> unexplained = new ArrayList<>();
        List<String> timeouts = new ArrayList<>();
        List<String> explainedWeekNo = new ArrayList<>();
        int compared = 0;
        int explainedWeeklySetPos = 0;
        int explainedRefused = 0;
        int totalInstances = 0;
        for (Case c : cases) {
            List<String> ours = ours(c);
            totalInstances += ours.size();
            JsonNode r = oracle.get(c.id());
            if (r.has("timeout")) {
                if (ours.isEmpty()) {
                    timeouts.add(c.rule() + " from " + c.dtstart());
                } else {
                    unexplained.add(c + " dateutil timed out, ours " + ours);
                }
                continue;
            }
            if (r.has("error")) {
                if (ours.isEmpty() && r.get("error").asText().contains("empty set")) {
                    explainedRefused++;
                    continue;
                }
                unexplained.add(c + " dateutil error " + r.get("error").asText() + " ours " + ours);
                continue;
            }
            List<String> theirs = new ArrayList<>();
            r.get("dates").forEach(n -> theirs.add(n.asText()));
            compared++;
            if (ours.equals(theirs)) {
                continue;
            }
            if (weeklySetPosFirstWeekOnly(c, ours, theirs)) {
                explainedWeeklySetPos++;
                continue;
            }
            if (weekNumberingAtYearBoundary(c, ours, theirs)) {
                explainedWeekNo.add(c.rule() + " from " + c.dtstart());
                continue;
            }
            unexplained.add(c + "\n   ours    " + ours + "\n   dateutil " + theirs);
        }
        System.out.printf(
                "differential: dateutil took %d ms, the comparison (our expansion included) %d ms%n",
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        System.out.printf(
                "differential: %d cases, %d compared (%d instances), %d WEEKLY+BYSETPOS first-week differences "
                        + "(RFC 5545 §3.3.10), %d BYWEEKNO year-boundary differences (ISO 8601 week numbering), "
                        + "%d rules dateutil refuses and %d it searches past its time limit (both empty for us)%n",
                cases.size(),
                compared,
                totalInstances,
                explainedWeeklySetPos,
                explainedWeekNo.size(),
                explainedRefused,
                timeouts.size());
        explainedWeekNo.forEach(t -> System.out.println("  BYWEEKNO difference: " + t));
        timeouts.forEach(t -> System.out.println("  dateutil timeout (no instance for us either): " + t));
        if (!unexplained.isEmpty()) {
            fail(unexplained.size() + " unexplained differences, first ones:\n"
                    + String.join("\n", unexplained.subList(0, Math.min(15, unexplained.size()))));
        }
        assertThat(compared).isGreaterThan(CASES * 9 / 10);
        assertThat(totalInstances).isGreaterThan(CASES * 5);
    }

    private static List<String> ours(Case c) {
        RRule rule = RRule.parse(c.rule());
        java.util.function.Predicate<LocalDateTime> until =
                rule.until() instanceof LocalDateTime u ? t -> t.isAfter(u) : null;
        RuleIterator it = new RuleIterator(rule, c.dtstart(), until, c.horizon(), false);
        List<String> out = new ArrayList<>();
        while (it.hasNext() && out.size() < MAX) {
            LocalDateTime t = it.next();
            if (t.isAfter(c.horizon())) {
                break;
            }
            out.add(F.format(t));
        }
        return out;
    }

    /** Difference 1: equal once the first week (from WKST) of DTSTART is left out. */
    private static boolean weeklySetPosFirstWeekOnly(Case c, List<String> ours, List<String> theirs) {
        if (!c.rule().contains("FREQ=WEEKLY") || !c.rule().contains("BYSETPOS")) {
            return false;
        }
        RRule rule = RRule.parse(c.rule());
        DayOfWeek wkst = rule.wkst;
        LocalDateTime nextWeek = c.dtstart()
                .toLocalDate()
                .with(TemporalAdjusters.previousOrSame(wkst))
                .plusWeeks(1)
                .atStartOfDay();
        String cut = F.format(nextWeek);
        List<String> a = ours.stream().filter(s -> s.compareTo(cut) >= 0).toList();
        List<String> b = theirs.stream().filter(s -> s.compareTo(cut) >= 0).toList();
        if (rule.count() > 0) {
            // with COUNT, a different first week shifts where the series ends: compare the common prefix
            int n = Math.min(a.size(), b.size());
            return a.subList(0, n).equals(b.subList(0, n));
        }
        // the tail may be cut by MAX differently; compare the common prefix
        int n = Math.min(a.size(), b.size());
        return n > 0
                ? a.subList(0, n).equals(b.subList(0, n))
                : a.isEmpty() == b.isEmpty() || ours.size() >= MAX || theirs.size() >= MAX;
    }

    /**
     * Difference 3: at the first point where the lists diverge, the disputed date (the earlier of the two)
     * is in our list exactly when its week number, computed independently with {@link WeekFields}
     * (weeks starting on WKST, week 1 = first week with 4 days in the year: RFC 5545 §3.3.10, ISO 8601),
     * matches BYWEEKNO, counted from the start or (negative) from the end of that date's week-based year.
     */
    private static boolean weekNumberingAtYearBoundary(Case c, List<String> ours, List<String> theirs) {
        RRule rule = RRule.parse(c.rule());
        if (rule.byWeekNo.length == 0) {
            return false;
        }
        int i = 0;
        while (i < ours.size() && i < theirs.size() && ours.get(i).equals(theirs.get(i))) {
            i++;
        }
        String disputed;
        boolean oursHasIt;
        if (i >= ours.size()) {
            disputed = theirs.get(i);
            oursHasIt = false;
        } else if (i >= theirs.size()) {
            disputed = ours.get(i);
            oursHasIt = true;
        } else {
            oursHasIt = ours.get(i).compareTo(theirs.get(i)) < 0;
            disputed = oursHasIt ? ours.get(i) : theirs.get(i);
        }
        java.time.LocalDate d = LocalDateTime.parse(disputed, F).toLocalDate();
        WeekFields wf = WeekFields.of(rule.wkst, 4);
        int week = d.get(wf.weekOfWeekBasedYear());
        int weekYear = d.get(wf.weekBasedYear());
        java.time.LocalDate lastDayOfWeekYear = d.with(wf.weekBasedYear(), weekYear + 1)
                .with(wf.weekOfWeekBasedYear(), 1)
                .with(wf.dayOfWeek(), 1)
                .minusDays(1);
        int weeks = lastDayOfWeekYear.get(wf.weekOfWeekBasedYear());
        boolean matches = false;
        for (int n : rule.byWeekNo) {
            matches |= n == week || n == week - weeks - 1;
        }
        boolean boundary =
                d.getMonthValue() == 1 && d.getDayOfMonth() <= 7 || d.getMonthValue() == 12 && d.getDayOfMonth() >= 25;
        return boundary && matches == oursHasIt;
    }

    private static List<Case> generate() {
        Random rnd = new Random(SEED);
        List<Case> out = new ArrayList<>();
        String[] freqs = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"};
        for (int id = 0; id < CASES; id++) {
            String freq = freqs[rnd.nextInt(freqs.length)];
            LocalDateTime dtstart = LocalDateTime.of(
                            1990 + rnd.nextInt(40),
                            1 + rnd.nextInt(12),
                            1 + rnd.nextInt(28),
                            rnd.nextInt(24),
                            rnd.nextInt(4) * 15,
                            rnd.nextInt(3) * 20)
                    .plusDays(rnd.nextInt(3));
            LocalDateTime horizon = switch (freq) {
                case "YEARLY" -> dtstart.plusYears(40);
                case "MONTHLY" -> dtstart.plusYears(10);
                case "WEEKLY" -> dtstart.plusYears(4);
                case "DAILY" -> dtstart.plusYears(2);
                case "HOURLY" -> dtstart.plusDays(30);
                case "MINUTELY" -> dtstart.plusDays(1);
                default -> dtstart.plusHours(1);
            };
            StringBuilder r = new StringBuilder("FREQ=").append(freq);
            if (rnd.nextInt(10) < 3) {
                r.append(";INTERVAL=").append(2 + rnd.nextInt(3));
            }
            int end = rnd.nextInt(10);
            if (end < 4) {
                r.append(";COUNT=").append(1 + rnd.nextInt(30));
            } else if (end < 7) {
                long span = ChronoUnit.SECONDS.between(dtstart, horizon);
                r.append(";UNTIL=").append(F.format(dtstart.plusSeconds((long) (rnd.nextDouble() * span))));
            }
            boolean yearly = freq.equals("YEARLY");
            boolean monthly = freq.equals("MONTHLY");
            boolean subDaily = freq.equals("HOURLY") || freq.equals("MINUTELY") || freq.equals("SECONDLY");
            boolean any = false;
            boolean byMonth = false;
            boolean byWeekNo = false;
            if (yearly && rnd.nextInt(10) < 1) {
                r.append(";BYWEEKNO=").append(ints(rnd, 1 + rnd.nextInt(2), 1, 53, true));
                byWeekNo = true;
                any = true;
            }
            boolean byYearDay = false;
            if (!byWeekNo && (yearly || subDaily) && rnd.nextInt(10) < 1) {
                r.append(";BYYEARDAY=").append(ints(rnd, 1 + rnd.nextInt(3), 1, 366, true));
                if (subDaily) {
                    r.append(',').append(dtstart.getDayOfYear());
                }
                byYearDay = true;
                any = true;
            }
            if (!byWeekNo && !byYearDay && rnd.nextInt(4) == 0) {
                r.append(";BYMONTH=").append(ints(rnd, 1 + rnd.nextInt(3), 1, 12, false));
                if (subDaily) {
                    r.append(',').append(dtstart.getMonthValue());
                }
                byMonth = true;
                any = true;
            }
            // BYSETPOS only where its positions exist in every period (a position past the set's end makes
            // a rule with no instances, which dateutil searches for until the year 9999)
            int dayCount = 1 + rnd.nextInt(3);
            boolean byMonthDay = false;
            boolean setPos =
                    (yearly || monthly || freq.equals("WEEKLY")) && !byWeekNo && !byYearDay && rnd.nextInt(6) == 0;
            if (!setPos && !byWeekNo && !byYearDay && !freq.equals("WEEKLY") && rnd.nextInt(4) == 0) {
                r.append(";BYMONTHDAY=").append(ints(rnd, 1 + rnd.nextInt(3), 1, byMonth ? 28 : 31, true));
                if (subDaily) {
                    r.append(',').append(dtstart.getDayOfMonth());
                }
                byMonthDay = true;
                any = true;
            }
            if (setPos || rnd.nextInt(10) < 4) {
                // (ordinals together with BYMONTHDAY easily make a rule that never matches)
                boolean ordinals = !setPos && !byMonthDay && (monthly || yearly && !byWeekNo) && rnd.nextBoolean();
                Set<String> days = new LinkedHashSet<>();
                for (int i = 0; i < dayCount; i++) {
                    String d = DAYS[rnd.nextInt(7)];
                    if (ordinals) {
                        int max = yearly && !byMonth ? 53 : 5;
                        int k = 1 + rnd.nextInt(rnd.nextBoolean() ? max : Math.min(max, 5));
                        d = (rnd.nextBoolean() ? "-" : "") + k + d;
                    }
                    days.add(d);
                }
                if (subDaily) {
                    days.add(DAYS[dtstart.getDayOfWeek().getValue() - 1]);
                }
                dayCount = days.size();
                r.append(";BYDAY=").append(String.join(",", days));
                any = true;
            }
            if (rnd.nextInt(5) == 0) {
                r.append(";BYHOUR=").append(ints(rnd, 1 + rnd.nextInt(3), 0, 23, false));
                if (subDaily) {
                    r.append(',').append(dtstart.getHour());
                }
                any = true;
            }
            if (rnd.nextInt(7) == 0) {
                r.append(";BYMINUTE=").append(ints(rnd, 1 + rnd.nextInt(3), 0, 59, false));
                if (subDaily) {
                    r.append(',').append(dtstart.getMinute());
                }
                any = true;
            }
            if (rnd.nextInt(10) == 0) {
                r.append(";BYSECOND=").append(ints(rnd, 1 + rnd.nextInt(2), 0, 59, false));
                any = true;
            }
            if (setPos) {
                int size = freq.equals("WEEKLY") ? dayCount : 4 * dayCount;
                r.append(";BYSETPOS=").append(ints(rnd, 1 + rnd.nextInt(2), 1, Math.min(size, 6), true));
            }
            if (rnd.nextInt(5) == 0) {
                r.append(";WKST=").append(DAYS[rnd.nextInt(7)]);
            }
            out.add(new Case(id, r.toString(), dtstart, horizon));
        }
        return out;
    }

    private static String ints(Random rnd, int n, int min, int max, boolean signed) {
        Set<Integer> vals = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            int v = min + rnd.nextInt(max - min + 1);
            vals.add(signed && rnd.nextInt(3) == 0 ? -v : v);
        }
        return String.join(",", vals.stream().map(String::valueOf).toList());
    }

    private static Map<Integer, JsonNode> runOracle(List<Case> cases) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path script = Files.createTempFile("dateutil_oracle", ".py");
        try (InputStream in = RuleIteratorDifferentialTest.class.getResourceAsStream("dateutil_oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("python3", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            Thread writer = new Thread(
                    () -> {
                        try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                            for (Case c : cases) {
                                Map<String, Object> req = Map.of(
                                        "id",
                                        c.id(),
                                        "rule",
                                        c.rule(),
                                        "dtstart",
                                        F.format(c.dtstart()),
                                        "horizon",
                                        F.format(c.horizon()),
                                        "max",
                                        MAX);
                                w.write(json.writeValueAsString(req));
                                w.write('\n');
                            }
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    "dateutil-oracle-writer");
            writer.start();
            Map<Integer, JsonNode> out = new HashMap<>();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode n = json.readTree(line);
                    out.put(n.get("id").asInt(), n);
                }
            }
            writer.join(60_000);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                fail("dateutil oracle did not finish");
            }
            return out;
        } finally {
            p.destroyForcibly(); // our own child, by its handle
            Files.deleteIfExists(script);
        }
    }

    private static void requirePython() throws Exception {
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import dateutil.rrule")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        if (!ok) {
            String msg = "python3 with python-dateutil is not available: the RRULE differential test cannot run "
                    + "(apt-get install python3-dateutil)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            System.err.println("WARNING: SKIPPING " + msg);
            Assumptions.abort(msg);
        }
    }
}
