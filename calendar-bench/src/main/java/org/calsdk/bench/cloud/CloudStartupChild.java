package org.calsdk.bench.cloud;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.CalendarProviders;
import org.calsdk.api.ConnectionConfig;
import org.calsdk.api.FreeBusyRequest;
import org.calsdk.auth.AccessToken;
import org.calsdk.auth.AccessTokenSource;
import org.calsdk.auth.PasswordCredentials;
import org.calsdk.auth.Secret;
import org.calsdk.auth.TokenCredentials;
import org.calsdk.model.Mailbox;
import org.calsdk.model.TimeWindow;

/**
 * The child JVM of the cloud providers' footprint figure: from a cold start, finds the provider through
 * {@link CalendarProviders#load()} (as an application would), connects, and asks for one mailbox's
 * free/busy: the first call. Prints {@code FIRST_CALL_MS=} (from JVM start, by the runtime's own start
 * time), {@code CLASSES=} (classes loaded by then) and {@code BUSY=}. Arguments: provider, endpoint,
 * secret file (a bearer token; {@code user:password} for ews), the mailbox asked about, and for google and
 * graph the mailbox acting.
 */
public final class CloudStartupChild {
    private CloudStartupChild() {}

    public static void main(String[] args) throws Exception {
        String provider = args[0];
        String secret =
                Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip();
        ConnectionConfig.Builder b = ConnectionConfig.builder(provider).setting("allowPrivateNetwork", "true");
        if (provider.equals("ews")) {
            int colon = secret.indexOf(':');
            b.setting("url", args[1])
                    .credentials(
                            PasswordCredentials.of(secret.substring(0, colon), Secret.of(secret.substring(colon + 1))));
        } else {
            AccessToken t = new AccessToken(Secret.of(secret), null);
            b.setting("baseUrl", args[1])
                    .setting("mailbox", args[4])
                    .credentials(new TokenCredentials(AccessTokenSource.fixed(t)));
        }
        int busy;
        try (CalendarConnection c = CalendarProviders.load().connect(b.build())) {
            busy = c.freeBusy()
                    .query(FreeBusyRequest.of(
                            java.util.List.of(Mailbox.of(args[3])),
                            TimeWindow.of(
                                    Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"))))
                    .results()
                    .get(0)
                    .busy()
                    .size();
        }
        long end = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("BUSY=" + busy);
        System.out.println("FIRST_CALL_MS=" + (end - jvmStart));
        System.out.println(
                "CLASSES=" + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.flush();
    }
}
