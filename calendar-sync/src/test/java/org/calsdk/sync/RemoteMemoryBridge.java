package org.calsdk.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import org.calsdk.api.CalendarConnection;
import org.calsdk.api.Capability;
import org.calsdk.api.ChangeBatch;
import org.calsdk.api.ChangeFeed;
import org.calsdk.api.ConnectionScope;
import org.calsdk.api.EventChange;
import org.calsdk.api.EventPage;
import org.calsdk.api.EventQuery;
import org.calsdk.api.EventReader;
import org.calsdk.api.EventWriter;
import org.calsdk.api.SyncCursor;
import org.calsdk.errors.CalendarException;
import org.calsdk.errors.ConflictException;
import org.calsdk.errors.ErrorContext;
import org.calsdk.errors.NotFoundException;
import org.calsdk.errors.ProviderUnavailableException;
import org.calsdk.errors.ReauthorizationRequiredException;
import org.calsdk.errors.UnsupportedCapabilityException;
import org.calsdk.model.Attendee;
import org.calsdk.model.CalendarInfo;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.EventTime;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.internal.EventCodec;
import org.calsdk.testkit.memory.InMemoryCalendarService;

/**
 * Puts the reference service of the test JVM on 127.0.0.1 over HTTP, so that a child JVM doing sync can be
 * killed while the calendars it writes to live on: the test's provider state survives the child, as a real
 * calendar service would. {@link #connections(String)} is the child's side.
 */
final class RemoteMemoryBridge implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryCalendarService service;
    private final HttpServer server;

    RemoteMemoryBridge(InMemoryCalendarService service) throws IOException {
        this.service = service;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "memory-bridge");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/rpc", exchange -> {
            byte[] out;
            int status = 200;
            try (InputStream in = exchange.getRequestBody()) {
                out = JSON.writeValueAsBytes(serve(JSON.readTree(in)));
            } catch (CalendarException e) {
                status = 500;
                ObjectNode err = JSON.createObjectNode();
                err.put("type", e.getClass().getSimpleName());
                err.put("message", e.getMessage());
                out = JSON.writeValueAsBytes(err);
            } catch (RuntimeException e) {
                status = 500;
                ObjectNode err = JSON.createObjectNode();
                err.put("type", "Bug");
                err.put("message", String.valueOf(e));
                out = JSON.writeValueAsBytes(err);
            }
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/rpc";
    }

    private JsonNode serve(JsonNode req) {
        Mailbox mailbox = Mailbox.of(req.get("mailbox").asText());
        CalendarRef cal = CalendarRef.of(mailbox, req.get("calendar").asText());
        CalendarConnection c = service.connect(mailbox);
        ObjectNode res = JSON.createObjectNode();
        switch (req.get("op").asText()) {
            case "findByKey" ->
                c.reader()
                        .findByKey(cal, EventKey.of(req.get("key").asText()))
                        .ifPresent(e -> res.put("event", EventCodec.write(e)));
            case "get" ->
                c.reader().get(cal, req.get("id").asText()).ifPresent(e -> res.put("event", EventCodec.write(e)));
            case "create" ->
                res.put(
                        "event",
                        EventCodec.write(c.writer()
                                .create(
                                        cal,
                                        EventKey.of(req.get("key").asText()),
                                        EventCodec.read(req.get("event").asText()))));
            case "update" ->
                res.put(
                        "event",
                        EventCodec.write(c.writer()
                                .update(cal, EventCodec.read(req.get("event").asText()))));
            case "delete" ->
                c.writer()
                        .delete(
                                cal,
                                req.get("id").asText(),
                                req.hasNonNull("version") ? req.get("version").asText() : null);
            case "changes" -> {
                ChangeBatch b =
                        c.changes().changes(cal, SyncCursor.of(req.get("cursor").asText()));
                if (b instanceof ChangeBatch.ResyncRequired r) {
                    res.put("resync", r.reason());
                } else {
                    ChangeBatch.Changes ch = (ChangeBatch.Changes) b;
                    res.put("next", ch.next().value());
                    res.put("hasMore", ch.hasMore());
                    res.put("full", ch.full());
                    ArrayNode list = res.putArray("changes");
                    for (EventChange x : ch.changes()) {
                        ObjectNode n = list.addObject();
                        if (x instanceof EventChange.Upserted u) {
                            n.put("event", EventCodec.write(u.event()));
                        } else {
                            EventChange.Deleted d = (EventChange.Deleted) x;
                            n.put("deleted", d.eventId());
                            if (d.uid() != null) {
                                n.put("uid", d.uid());
                            }
                            if (d.key() != null) {
                                n.put("key", d.key().value());
                            }
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown op");
        }
        return res;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ------------------------------------------------------------------ the child's side

    /** Connections that reach the bridge at {@code url}. */
    static SyncConnections connections(String url) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return (integration, mailbox) -> new Remote(http, url, mailbox);
    }

    private static final class Remote implements CalendarConnection {
        private final HttpClient http;
        private final String url;
        private final Mailbox mailbox;

        Remote(HttpClient http, String url, Mailbox mailbox) {
            this.http = http;
            this.url = url;
            this.mailbox = mailbox;
        }

        private JsonNode call(CalendarRef cal, String op, Object... kv) {
            ObjectNode req = JSON.createObjectNode();
            req.put("op", op);
            req.put("mailbox", cal.mailbox().email());
            req.put("calendar", cal.id());
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i + 1] != null) {
                    req.put((String) kv[i], kv[i + 1].toString());
                }
            }
            ErrorContext ctx = ErrorContext.of("memory").withMailbox(mailbox);
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(req.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                JsonNode body = JSON.readTree(r.body());
                if (r.statusCode() == 200) {
                    return body;
                }
                String type = body.get("type").asText();
                String msg = body.get("message").asText();
                throw switch (type) {
                    case "NotFoundException" -> new NotFoundException(msg, ctx);
                    case "ConflictException" -> new ConflictException(msg, ctx);
                    case "ReauthorizationRequiredException" -> new ReauthorizationRequiredException(msg, ctx);
                    default -> new ProviderUnavailableException(type + ": " + msg, ctx);
                };
            } catch (IOException e) {
                throw new ProviderUnavailableException("bridge unreachable: " + e, ctx, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted", ctx, e);
            }
        }

        private static Optional<Event> event(JsonNode n) {
            return n.hasNonNull("event")
                    ? Optional.of(EventCodec.read(n.get("event").asText()))
                    : Optional.empty();
        }

        @Override
        public String providerId() {
            return "memory";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.READ_EVENTS, Capability.WRITE_EVENTS, Capability.INCREMENTAL_CHANGES);
        }

        @Override
        public ConnectionScope scope() {
            return ConnectionScope.USER;
        }

        @Override
        public Optional<Mailbox> self() {
            return Optional.of(mailbox);
        }

        private UnsupportedCapabilityException unsupported(String what) {
            return new UnsupportedCapabilityException(
                    "the test bridge does not carry " + what, ErrorContext.of("memory"));
        }

        @Override
        public EventReader reader() {
            return new EventReader() {
                @Override
                public List<CalendarInfo> calendars(Mailbox m) {
                    throw unsupported("calendars");
                }

                @Override
                public EventPage list(EventQuery query) {
                    throw unsupported("list");
                }

                @Override
                public Optional<Event> get(CalendarRef calendar, String eventId) {
                    return event(call(calendar, "get", "id", eventId));
                }

                @Override
                public Optional<Event> findByKey(CalendarRef calendar, EventKey key) {
                    return event(call(calendar, "findByKey", "key", key.value()));
                }
            };
        }

        @Override
        public EventWriter writer() {
            return new EventWriter() {
                @Override
                public Event create(CalendarRef calendar, EventKey key, Event e) {
                    return event(call(calendar, "create", "key", key.value(), "event", EventCodec.write(e)))
                            .orElseThrow();
                }

                @Override
                public Event update(CalendarRef calendar, Event e) {
                    return event(call(calendar, "update", "event", EventCodec.write(e)))
                            .orElseThrow();
                }

                @Override
                public void delete(CalendarRef calendar, String eventId, String expectedVersion) {
                    call(calendar, "delete", "id", eventId, "version", expectedVersion);
                }

                @Override
                public Event updateOccurrence(CalendarRef calendar, String seriesId, Event override, String v) {
                    throw unsupported("updateOccurrence");
                }

                @Override
                public Event cancelOccurrence(CalendarRef calendar, String seriesId, EventTime rid, String v) {
                    throw unsupported("cancelOccurrence");
                }

                @Override
                public Event respond(
                        CalendarRef calendar, String eventId, Mailbox attendee, Attendee.ResponseStatus r) {
                    throw unsupported("respond");
                }
            };
        }

        @Override
        public ChangeFeed changes() {
            return (calendar, cursor) -> {
                JsonNode n = call(calendar, "changes", "cursor", cursor.value());
                if (n.has("resync")) {
                    return new ChangeBatch.ResyncRequired(n.get("resync").asText());
                }
                List<EventChange> out = new java.util.ArrayList<>();
                for (JsonNode x : n.get("changes")) {
                    if (x.has("event")) {
                        out.add(new EventChange.Upserted(
                                EventCodec.read(x.get("event").asText())));
                    } else {
                        out.add(new EventChange.Deleted(
                                x.get("deleted").asText(),
                                x.hasNonNull("uid") ? x.get("uid").asText() : null,
                                x.hasNonNull("key") ? EventKey.of(x.get("key").asText()) : null));
                    }
                }
                return new ChangeBatch.Changes(
                        out,
                        SyncCursor.of(n.get("next").asText()),
                        n.get("hasMore").asBoolean(),
                        n.get("full").asBoolean());
            };
        }

        @Override
        public void close() {
            // the HttpClient is shared
        }
    }
}
