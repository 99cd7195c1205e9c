package org.calsdk.examples;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * The CLI's one way to read an instant option ({@code --from}, {@code --to}): ISO-8601 in UTC such as
 * {@code 2026-03-02T00:00:00Z}. Registered for every {@link Instant} option in {@link CalendarCli#run}; a bad
 * value is a usage error (exit code 2) naming the option.
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an ISO-8601 instant (e.g. 2026-03-02T00:00:00Z)");
        }
    }
}
