package org.calsdk.sync;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.calsdk.errors.CalendarException;
import org.calsdk.model.CalendarRef;
import org.calsdk.model.Event;
import org.calsdk.model.EventKey;
import org.calsdk.model.Mailbox;

/**
 * A host application as the tests see it: keeps the external events it was told about (by calendar and
 * id, applying changes idempotently as a real host must) and logs everything else.
 */
class HostRecorder implements SyncListener {
    final Map<String, Event> external = new ConcurrentHashMap<>();
    final List<ExternalChange> externalLog = new CopyOnWriteArrayList<>();
    final List<AppEventChange> appChanges = new CopyOnWriteArrayList<>();
    final List<EventKey> removed = new CopyOnWriteArrayList<>();
    final List<SyncConflict> conflicts = new CopyOnWriteArrayList<>();
    final List<OutboxEntry> pushFailures = new CopyOnWriteArrayList<>();
    final List<OutboxEntry> pushed = new CopyOnWriteArrayList<>();
    final List<String> disconnected = new CopyOnWriteArrayList<>();
    final Map<String, Event> appState = new ConcurrentHashMap<>();

    static String id(CalendarRef cal, String eventId) {
        return cal.mailbox().normalized() + "/" + cal.id() + "/" + eventId;
    }

    @Override
    public void onExternalChange(ExternalChange change) {
        externalLog.add(change);
        String k = id(change.calendar(), change.eventId());
        if (change instanceof ExternalChange.Deleted) {
            external.remove(k);
        } else {
            external.put(k, change.current().orElseThrow());
        }
    }

    @Override
    public void onAppEventChange(AppEventChange change) {
        appChanges.add(change);
        appState.put(change.calendar().mailbox().normalized() + "/" + change.key(), change.event());
    }

    @Override
    public void onAppEventRemoved(CalendarRef calendar, EventKey key) {
        removed.add(key);
    }

    @Override
    public void onConflict(SyncConflict conflict) {
        conflicts.add(conflict);
    }

    @Override
    public void onPushed(OutboxEntry entry, Event stored) {
        pushed.add(entry);
    }

    @Override
    public void onPushFailed(OutboxEntry entry, CalendarException error) {
        pushFailures.add(entry);
    }

    @Override
    public void onMailboxDisconnected(Mailbox mailbox, String reason, String relinkUrl) {
        disconnected.add(mailbox + " " + relinkUrl);
    }

    /** The external events as summaries, sorted: what "the host's view" is compared by. */
    Map<String, String> externalView() {
        Map<String, String> out = new TreeMap<>();
        external.forEach((k, e) -> out.put(k, e.summary() + "@" + e.start()));
        return out;
    }
}
