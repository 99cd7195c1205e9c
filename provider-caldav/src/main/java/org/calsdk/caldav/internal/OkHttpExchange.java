package org.calsdk.caldav.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.MalformedDataException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.RateLimitedException;
import org.calsdk.errors.ReauthorizationRequiredException;

/** A {@link DavExchange} straight on an OkHttp client (one attempt, bounded body). */
public final class OkHttpExchange implements DavExchange {
    private final OkHttpClient client;
    private final DavAuth auth;
    private final ErrorContext ctx;
    private final long maxBytes;

    public OkHttpExchange(OkHttpClient client, DavAuth auth, ErrorContext ctx, long maxBytes) {
        this.client = client;
        this.auth = auth;
        this.ctx = ctx;
        this.maxBytes = maxBytes;
    }

    @Override
    public DavResponse execute(Request request, String operation, boolean authorize) {
        boolean refreshed = false;
        while (true) {
            Request r = authorize ? auth.authorize(request) : request;
            DavResponse resp = once(r);
            if (resp.status() == 401) {
                if (authorize && !refreshed && auth.refreshAfterUnauthorized(r)) {
                    refreshed = true;
                    continue;
                }
                throw new ReauthorizationRequiredException("the CalDAV server refused the credentials (HTTP 401); "
                        + "check the user name and (app-specific) password", ctx.withStatusCode(401));
            }
            if (resp.status() == 429) {
                throw new RateLimitedException("the CalDAV server is throttling (HTTP 429)", ctx.withStatusCode(429), null);
            }
            if (resp.status() >= 500 && resp.status() != 507) {
                throw new ProviderUnavailableException("the CalDAV server failed (HTTP " + resp.status() + ")",
                        ctx.withStatusCode(resp.status()));
            }
            return resp;
        }
    }

    private DavResponse once(Request r) {
        try (Response resp = client.newCall(r).execute()) {
            ResponseBody body = resp.body();
            byte[] bytes = body == null ? new byte[0] : read(body.byteStream());
            return new DavResponse(resp.code(), resp.headers(), bytes, resp.request().url());
        } catch (InterruptedIOException e) {
            throw new ProviderUnavailableException("the CalDAV server did not answer in time", ctx, e);
        } catch (IOException e) {
            throw new ProviderUnavailableException("cannot reach the CalDAV server: " + e.getMessage(), ctx, e);
        }
    }

    private byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new MalformedDataException("the CalDAV server's response is larger than " + maxBytes + " bytes",
                    ctx, null);
        }
        return bytes;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
