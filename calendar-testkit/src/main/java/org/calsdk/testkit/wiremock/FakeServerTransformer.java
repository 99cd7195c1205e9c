package org.calsdk.testkit.wiremock;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.calsdk.testkit.FakeRequest;
import org.calsdk.testkit.FakeResponse;
import org.calsdk.testkit.FakeServer;
import org.calsdk.testkit.Fault;

/**
 * A WireMock extension that answers with a testkit fake: every request of a stub that names this
 * transformer goes to the fake's routes, batches, faults and accounting (through
 * {@link FakeServer#serve}), so teams that already run WireMock mount a stateful fake Google, Graph or
 * CalDAV next to their own stubs. Network faults become WireMock faults: connection reset and a dropped
 * answer after the change ({@code CONNECTION_RESET_BY_PEER}, {@code EMPTY_RESPONSE}), a truncated body
 * ({@code MALFORMED_RESPONSE_CHUNK}), a slow body (chunked dribble), no answer (a 10-minute delay).
 *
 * <pre>{@code
 * FakeServer<MyState> fake = FakeServer.builder(state).route(...).build();   // need not be started
 * WireMockServer wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").gzipDisabled(true)
 *         .jettyAcceptors(1).extensions(new FakeServerTransformer(fake)));
 * wm.start();
 * wm.stubFor(any(urlPathMatching("/calendar/v3/.*"))
 *         .willReturn(aResponse().withTransformers(FakeServerTransformer.NAME)));
 * }</pre>
 *
 * The fake sees WireMock's absolute request URL; its route patterns match the path as usual. Switch
 * WireMock's gzip off ({@code gzipDisabled(true)}): Jetty otherwise rewrites a gzipped answer's
 * {@code ETag} ({@code "1"} becomes {@code "1--gzip"}) and the fake's {@code If-Match} checks fail.
 *
 * @since 0.1
 */
public final class FakeServerTransformer implements ResponseDefinitionTransformerV2 {
    /** The name stubs give in {@code withTransformers(...)}. */
    public static final String NAME = "calsdk-fake";

    private static final int NO_RESPONSE_DELAY_MS = 10 * 60 * 1000;

    private final FakeServer<?> fake;
    private final String name;

    /**
     * A transformer named {@link #NAME} answering with {@code fake}.
     *
     * @param fake the fake that answers
     */
    public FakeServerTransformer(FakeServer<?> fake) {
        this(fake, NAME);
    }

    /**
     * A transformer with its own name (to mount several fakes in one WireMock server).
     *
     * @param fake the fake that answers
     * @param name the transformer's name, unique in the WireMock server
     */
    public FakeServerTransformer(FakeServer<?> fake, String name) {
        if (fake == null || name == null || name.isBlank()) {
            throw new NullPointerException("fake and name are required");
        }
        this.fake = fake;
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Only stubs that name this transformer use it. */
    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request r = serveEvent.getRequest();
        Headers.Builder headers = new Headers.Builder();
        for (HttpHeader h : r.getHeaders().all()) {
            for (String v : h.values()) {
                headers.addUnsafeNonAscii(h.key(), v);
            }
        }
        HttpUrl url = HttpUrl.get(r.getAbsoluteUrl());
        FakeRequest request = new FakeRequest(
                r.getMethod().getName(), url, Map.of(), headers.build(), r.getBody(), "unmatched", null);
        FakeServer.Served served = fake.serve(request);
        Fault f = served.networkFault();
        ResponseDefinitionBuilder out = ResponseDefinitionBuilder.responseDefinition();
        if (served.answer() != null) {
            FakeResponse a = served.answer();
            out.withStatus(a.status()).withBody(a.body());
            a.headers().forEach((k, v) -> {
                if (computed().stream().noneMatch(k::equalsIgnoreCase)) {
                    out.withHeader(k, v);
                }
            });
        }
        if (f instanceof Fault.ConnectionReset) {
            out.withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER);
        } else if (f instanceof Fault.DropResponseAfterCommit) {
            out.withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE);
        } else if (f instanceof Fault.TruncatedBody) {
            out.withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK);
        } else if (f instanceof Fault.NoResponse) {
            out.withStatus(504).withFixedDelay(NO_RESPONSE_DELAY_MS);
        } else if (f instanceof Fault.SlowBody s && served.answer() != null) {
            int len = Math.max(1, served.answer().body().length);
            int chunks = (int) Math.max(1, Math.min(len, len / s.bytesPerPeriod()));
            out.withChunkedDribbleDelay(chunks, (int)
                    Math.min(Integer.MAX_VALUE, chunks * s.period().toMillis()));
        }
        return out.build();
    }

    @Override
    public String toString() {
        return "FakeServerTransformer[" + name + " -> " + fake.name() + "]";
    }

    /** Header names WireMock should not get twice (it computes them). */
    static List<String> computed() {
        return List.of("Content-Length", "Transfer-Encoding");
    }
}
