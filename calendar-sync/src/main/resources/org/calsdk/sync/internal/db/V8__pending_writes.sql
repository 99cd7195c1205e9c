-- Version 8: the record of an update a push is about to write (SyncStateStore.PendingWrite) lives in the event's
-- own mapping row instead of a mapping row of its own (event id 'calsdk:w:<event id>'). Those rows mixed
-- bookkeeping into the events (every full read had to step over them) and cost a read and two writes per
-- update push; the columns are read with the mapping, cleared by the mapping's next save, and go with the row.
-- A record is unsettled while pending_write is set and pending_version equals the mapping's version.
ALTER TABLE sync_event ADD COLUMN pending_version VARCHAR(1000);
ALTER TABLE sync_event ADD COLUMN pending_write VARCHAR(1000000);

-- records kept the old way move into the row of the event they are about (those of events no longer mapped go)
UPDATE sync_event SET
    pending_version = (SELECT w.version FROM sync_event w WHERE w.integration = sync_event.integration
        AND w.email_norm = sync_event.email_norm AND w.calendar_id = sync_event.calendar_id
        AND w.event_id = 'calsdk:w:' || sync_event.event_id),
    pending_write = (SELECT w.base FROM sync_event w WHERE w.integration = sync_event.integration
        AND w.email_norm = sync_event.email_norm AND w.calendar_id = sync_event.calendar_id
        AND w.event_id = 'calsdk:w:' || sync_event.event_id)
    WHERE event_id NOT LIKE 'calsdk:w:%' AND EXISTS (SELECT 1 FROM sync_event w
        WHERE w.integration = sync_event.integration AND w.email_norm = sync_event.email_norm
        AND w.calendar_id = sync_event.calendar_id AND w.event_id = 'calsdk:w:' || sync_event.event_id);
DELETE FROM sync_event WHERE event_id LIKE 'calsdk:w:%';
