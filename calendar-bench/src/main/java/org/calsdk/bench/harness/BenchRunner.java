package org.calsdk.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Runs the registered figures one after another and renders what they measured: the JSON array of the
 * fixed interface, and a markdown table. A figure that fails is reported on the log stream and left out;
 * the run goes on ({@link Report#failures()} says which).
 */
public final class BenchRunner {
    private final FigureRegistry registry;
    private final PrintStream log;

    public BenchRunner(FigureRegistry registry, PrintStream log) {
        this.registry = registry;
        this.log = log;
    }

    /** What a run produced. */
    public record Report(List<FigureResult> results, List<String> failures) {
        public Report {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
        }
    }

    /** Runs every figure that runs in the settings' mode and that {@code select} accepts (by id). */
    public Report run(BenchSettings settings, Predicate<String> select) {
        List<FigureResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Figure f : registry.figures()) {
            if (!f.runsIn(settings.mode()) || !select.test(f.id())) {
                continue;
            }
            long t0 = System.nanoTime();
            log.println("bench: " + f.id() + " ...");
            try {
                List<FigureResult> r = f.measure(settings);
                results.addAll(r);
                log.printf(Locale.ROOT, "bench: %s done in %.1f s%n", f.id(), (System.nanoTime() - t0) / 1e9);
            } catch (Exception | OutOfMemoryError e) {
                String first = String.valueOf(e).lines().findFirst().orElse("");
                failures.add(f.id() + ": " + first);
                log.println("bench: " + f.id() + " FAILED: " + e);
            }
        }
        return new Report(results, failures);
    }

    /** The JSON array: one object per figure with exactly name, value, floor, unit, ratio. */
    public static String json(List<FigureResult> results) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode arr = m.createArrayNode();
        for (FigureResult r : results) {
            ObjectNode n = arr.addObject();
            n.put("name", r.name());
            n.put("value", round(r.value()));
            if (r.floor() == null) {
                n.putNull("floor");
            } else {
                n.put("floor", round(r.floor()));
            }
            n.put("unit", r.unit());
            if (r.ratio() == null) {
                n.putNull("ratio");
            } else {
                n.put("ratio", round(r.ratio()));
            }
        }
        try {
            return m.writeValueAsString(arr);
        } catch (IOException e) {
            throw new IllegalStateException("could not render JSON", e);
        }
    }

    /** Writes {@link #json} to a file. */
    public static void writeJson(List<FigureResult> results, Path file) throws IOException {
        Files.writeString(file, json(results) + "\n");
    }

    /** A markdown table: figure, value, floor, unit, ratio. */
    public static String markdown(List<FigureResult> results) {
        StringBuilder b =
                new StringBuilder("| figure | value | floor | unit | value ÷ floor |\n|---|---|---|---|---|\n");
        for (FigureResult r : results) {
            b.append("| ")
                    .append(r.name())
                    .append(" | ")
                    .append(fmt(r.value()))
                    .append(" | ")
                    .append(r.floor() == null ? "–" : fmt(r.floor()))
                    .append(" | ")
                    .append(r.unit())
                    .append(" | ")
                    .append(r.ratio() == null ? "–" : fmt(r.ratio()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** Four significant digits: enough for figures measured on a shared machine. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    static String fmt(double v) {
        double r = round(v);
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) r);
        }
        return java.math.BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
    }
}
