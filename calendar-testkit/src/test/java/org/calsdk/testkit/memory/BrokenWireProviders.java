package org.calsdk.testkit.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.calsdk.api.CalendarConnection;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.http.HttpCall;
import org.calsdk.http.HttpResponse;
import org.calsdk.http.HttpTransport;
import org.calsdk.http.RetryPolicy;
import org.calsdk.http.Sleeper;
import org.calsdk.model.Mailbox;
import org.calsdk.testkit.memory.internal.MemoryHttpConnection;
import org.calsdk.testkit.tck.InMemoryProviderTckTestAccess;
import org.calsdk.testkit.tck.ProviderTck;
import org.calsdk.testkit.tck.RecordingSleeper;
import org.calsdk.testkit.tck.TckFixture;
import org.junit.jupiter.api.AfterEach;

/**
 * Deliberately broken variants of the example HTTP provider whose defect shows on the wire, and their TCK
 * subclasses (run by {@link BrokenWireProvidersTest} through the launcher, not by surefire directly).
 */
final class BrokenWireProviders {
    private BrokenWireProviders() {}

    /** Sends updates without If-Match: the server cannot refuse a stale write, and its log shows the header missing. */
    static final class DropsIfMatchOnUpdate extends MemoryHttpConnection {
        DropsIfMatchOnUpdate(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            super(http, base, self, sleeper);
        }

        @Override
        protected HttpResponse exchange(HttpCall call) {
            Request r = call.request();
            if (r.method().equals("PUT") && r.url().pathSegments().contains("events")) {
                call = HttpCall.builder(r.newBuilder().removeHeader("If-Match").build())
                        .operation(call.operation())
                        .mailbox(call.mailbox())
                        .idempotent(call.idempotent())
                        .build();
            }
            return super.exchange(call);
        }
    }

    /** Retries a 429 after a fixed 100 ms of its own, whatever Retry-After asked for. */
    static final class IgnoresRetryAfter extends MemoryHttpConnection {
        private final HttpTransport once;
        private final Sleeper sleeper;

        IgnoresRetryAfter(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            super(http, base, self, sleeper);
            this.sleeper = sleeper;
            this.once = HttpTransport.builder()
                    .okHttpClient(http)
                    .provider(PROVIDER)
                    .retryPolicy(RetryPolicy.custom().maxAttempts(1).build())
                    .sleeper(sleeper)
                    .build();
        }

        @Override
        protected HttpResponse exchange(HttpCall call) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return once.execute(call);
                } catch (RateLimitedException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    try {
                        sleeper.sleep(Duration.ofMillis(100));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Reads single events with OkHttp directly instead of through the SDK's transport, so a cut answer
     * escapes as an {@link UncheckedIOException} instead of a typed error.
     */
    static final class ReadsAroundTheTransport extends MemoryHttpConnection {
        private final OkHttpClient http;

        ReadsAroundTheTransport(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            super(http, base, self, sleeper);
            this.http = http;
        }

        @Override
        protected HttpResponse exchange(HttpCall call) {
            if (!call.operation().equals("events.get")) {
                return super.exchange(call);
            }
            try (Response r = http.newCall(call.request()).execute()) {
                return new HttpResponse(
                        r.code(),
                        r.headers(),
                        r.body() == null ? new byte[0] : r.body().bytes(),
                        1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The TCK over a broken connection to the example's fake. */
    abstract static class BrokenWireTck extends ProviderTck {
        final MemoryHttpFake fake = new MemoryHttpFake(InMemoryProviderTckTestAccess.newService());
        final RecordingSleeper sleeper = new RecordingSleeper();

        abstract MemoryHttpConnection open(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper);

        @Override
        protected CalendarConnection connect() {
            fake.start();
            return open(fake.http(), fake.server().url("/"), InMemoryProviderTckTestAccess.ALICE, sleeper);
        }

        @Override
        protected TckFixture fixture() {
            return MemoryHttpProviderTckTest.fixture(fake, sleeper);
        }

        @AfterEach
        void stop() {
            fake.close();
        }
    }

    static final class DropsIfMatchOnUpdateTck extends BrokenWireTck {
        @Override
        MemoryHttpConnection open(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            return new DropsIfMatchOnUpdate(http, base, self, sleeper);
        }
    }

    static final class IgnoresRetryAfterTck extends BrokenWireTck {
        @Override
        MemoryHttpConnection open(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            return new IgnoresRetryAfter(http, base, self, sleeper);
        }
    }

    static final class ReadsAroundTheTransportTck extends BrokenWireTck {
        @Override
        MemoryHttpConnection open(OkHttpClient http, HttpUrl base, Mailbox self, Sleeper sleeper) {
            return new ReadsAroundTheTransport(http, base, self, sleeper);
        }
    }
}
