package org.calsdk.sync.internal;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.calsdk.model.Attendee;
import org.calsdk.model.Event;
import org.calsdk.model.Mailbox;
import org.calsdk.sync.SyncField;

/** Compares, copies and merges the {@link SyncField}s of two versions of an event. */
public final class Fields {
    private Fields() {}

    /** The fields in which {@code a} and {@code b} differ. */
    public static Set<SyncField> diff(Event a, Event b) {
        Set<SyncField> out = EnumSet.noneOf(SyncField.class);
        for (SyncField f : SyncField.values()) {
            if (!same(f, a, b)) {
                out.add(f);
            }
        }
        return out;
    }

    public static boolean same(SyncField f, Event a, Event b) {
        return switch (f) {
            case TITLE -> a.summary().equals(b.summary());
            case DESCRIPTION ->
                a.description()
                        .orElse("")
                        .strip()
                        .equals(b.description().orElse("").strip());
            case TIME ->
                a.start().isAllDay() == b.start().isAllDay()
                        && a.start().toInstant(ZoneOffset.UTC).equals(b.start().toInstant(ZoneOffset.UTC))
                        && a.end().toInstant(ZoneOffset.UTC).equals(b.end().toInstant(ZoneOffset.UTC))
                        && Objects.equals(
                                a.recurrence().map(r -> r.rules()).orElse(List.of()),
                                b.recurrence().map(r -> r.rules()).orElse(List.of()));
            case RSVP -> responses(a).equals(responses(b));
        };
    }

    static Map<Mailbox, Attendee.ResponseStatus> responses(Event e) {
        Map<Mailbox, Attendee.ResponseStatus> m = new LinkedHashMap<>();
        for (Attendee a : e.attendees()) {
            m.put(a.mailbox(), a.response());
        }
        return m;
    }

    /** {@code target} with field {@code f} taken from {@code source}. */
    public static Event copy(SyncField f, Event source, Event target) {
        Event.Builder b = target.toBuilder();
        switch (f) {
            case TITLE -> b.summary(source.summary());
            case DESCRIPTION -> b.description(source.description().orElse(null));
            case TIME -> {
                b.time(source.start(), source.end());
                b.recurrence(source.recurrence().orElse(null));
            }
            case RSVP -> {
                Map<Mailbox, Attendee.ResponseStatus> answers = responses(source);
                List<Attendee> merged = new ArrayList<>();
                for (Attendee a : target.attendees()) {
                    Attendee.ResponseStatus r = answers.get(a.mailbox());
                    merged.add(r == null ? a : a.withResponse(r));
                }
                b.attendees(merged);
            }
        }
        return b.build();
    }

    /** What the app controls of an event: everything but the provider's bookkeeping (id, version, updated, uid). */
    public static Event content(Event e) {
        return e.toBuilder()
                .id(null)
                .version(null)
                .updated(null)
                .uid(null)
                .key(null)
                .build();
    }

    /** The content of an event to write: no provider id or version, the host's key set. */
    public static Event desired(Event e, org.calsdk.model.EventKey key) {
        return e.toBuilder().id(null).version(null).key(key).build();
    }
}
