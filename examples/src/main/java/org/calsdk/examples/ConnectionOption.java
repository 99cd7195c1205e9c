package org.calsdk.examples;

import java.nio.file.Path;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.Capability;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.ConnectionFile;
import org.calsdk.api.ConnectionScope;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.model.Mailbox;
import picocli.CommandLine.Option;

/** The {@code --connection FILE} option shared by the commands that talk to a real provider. */
final class ConnectionOption {
    @Option(
            names = "--connection",
            required = true,
            paramLabel = "FILE",
            description = "JSON connection file: provider, url, username, password {\"env\"|\"file\"|\"value\"}, ...")
    Path file;

    /** Opens the connection the file describes. */
    CalendarConnection open() {
        // the file first: a missing or bad one fails before the providers (and their HTTP stack) are loaded
        ConnectionConfig config =
                ConnectionFile.read(file, System::getenv, System.err::println).toConfig();
        return CalendarProviders.load().connect(config);
    }

    /**
     * Opens the connection for one account's calendars: a per-user connection as it is; an organization
     * connection (a Google service account with domain-wide delegation) acting as the file's {@code "mailbox"}.
     */
    CalendarConnection openAccount() {
        ConnectionConfig config =
                ConnectionFile.read(file, System::getenv, System.err::println).toConfig();
        return actingAsMailbox(CalendarProviders.load().connect(config), config);
    }

    /**
     * {@code c} itself when it is one account's; for an organization, the account {@code config}'s
     * {@code "mailbox"} names, acted as through impersonation (a clear error when the file names none).
     */
    static CalendarConnection actingAsMailbox(CalendarConnection c, ConnectionConfig config) {
        if (c.scope() != ConnectionScope.ORGANIZATION || !c.supports(Capability.IMPERSONATION)) {
            return c;
        }
        String mailbox = config.setting("mailbox").orElse(null);
        if (mailbox == null || mailbox.isBlank()) {
            c.close();
            throw new InvalidInputException(
                    "mailbox",
                    "the connection file is an organization's (" + c.providerId()
                            + " service account); name the account to act as with \"mailbox\"");
        }
        return ActingConnection.actAs(c, Mailbox.of(mailbox));
    }
}
