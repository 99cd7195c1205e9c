package org.calsdk.examples;

import java.nio.file.Path;

import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionFile;

import picocli.CommandLine.Option;

/** The {@code --connection FILE} option shared by the commands that talk to a real provider. */
final class ConnectionOption {
    @Option(names = "--connection", required = true, paramLabel = "FILE",
            description = "JSON connection file: provider, url, username, password {\"env\"|\"file\"|\"value\"}, ...")
    Path file;

    /** Opens the connection the file describes. */
    CalendarConnection open() {
        return CalendarProviders.load().connect(ConnectionFile.read(file, System::getenv, System.err::println).toConfig());
    }
}
