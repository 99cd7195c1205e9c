package org.calsdk.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider for this module's tests (chosen with {@code -Dslf4j.provider}, see the pom): every
 * logger is enabled at TRACE, and each formatted line, with its throwable's full text (messages and stack
 * of every cause), is checked against the secrets registered with {@link #watch(String)} and kept (the
 * last {@value #KEEP} lines).
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
    static final int KEEP = 20_000;
    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();
    private static final List<String> LINES = new ArrayList<>();
    private static final List<String> LEAKS = new ArrayList<>();
    private static final AtomicLong COUNT = new AtomicLong();

    private final ILoggerFactory factory = new Factory();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** A value that must never appear in a log line. */
    static void watch(String secret) {
        SECRETS.add(secret);
    }

    /** Lines logged so far (all levels). */
    static long lineCount() {
        return COUNT.get();
    }

    /** Lines that contained a watched secret. */
    static synchronized List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    /** The kept lines. */
    static synchronized List<String> lines() {
        return List.copyOf(LINES);
    }

    static synchronized void accept(String line) {
        COUNT.incrementAndGet();
        if (LINES.size() == KEEP) {
            LINES.remove(0);
        }
        LINES.add(line);
        for (String s : SECRETS) {
            if (line.contains(s)) {
                LEAKS.add(line);
            }
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up
    }

    private static final class Factory implements ILoggerFactory {
        private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, Capturing::new);
        }
    }

    private static final class Capturing extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        Capturing(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(
                Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
            StringBuilder sb = new StringBuilder()
                    .append(level)
                    .append(' ')
                    .append(name)
                    .append(" - ")
                    .append(MessageFormatter.basicArrayFormat(pattern, args));
            if (throwable != null) {
                StringWriter w = new StringWriter();
                throwable.printStackTrace(new PrintWriter(w));
                sb.append(System.lineSeparator()).append(w);
            }
            accept(sb.toString());
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
