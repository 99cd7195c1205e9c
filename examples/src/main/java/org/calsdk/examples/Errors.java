package org.calsdk.examples;

import org.calsdk.errors.CalendarException;
import org.calsdk.errors.InvalidInputException;
import picocli.CommandLine;

/**
 * Turns exceptions into one line on stderr and an exit code: 2 for invalid input (the message names the
 * field) and for command-line mistakes picocli finds (unknown option or value, missing parameter), 1 for
 * everything else. No stack traces and no usage pages for expected errors; {@code CALENDAR_DEBUG=1} asks
 * for the details.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int INVALID_INPUT = 2;
    static final int FAILURE = 1;

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr()
                .println("error: " + oneLine(ex.getMessage()) + " (see '"
                        + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (System.getenv("CALENDAR_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return INVALID_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        cmd.getErr().println("error: " + oneLine(message(ex)));
        if (ex instanceof InvalidInputException
                || ex instanceof IllegalArgumentException
                || ex instanceof java.nio.file.NoSuchFileException) {
            return INVALID_INPUT;
        }
        if (!(ex instanceof CalendarException) && System.getenv("CALENDAR_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return FAILURE;
    }

    /** The text on one line: a message with line breaks (a parser's, a server's) would break the one-line promise. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static String message(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        if (!(ex instanceof CalendarException
                || ex instanceof IllegalArgumentException
                || ex instanceof java.io.IOException)) {
            // a defect, not an expected error: a Java exception's text is no message for the user
            return "unexpected internal error (" + ex.getClass().getSimpleName()
                    + "); set CALENDAR_DEBUG=1 for details";
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }
}
