-- Version 6: the due queue. Engines claim due mailboxes with SELECT ... FOR UPDATE SKIP LOCKED in next_sync_at
-- order; this index serves that query as an ordered range scan (the equality columns first), so a claim reads
-- only the rows it takes, however many mailboxes the store holds. Due-ness lives in next_sync_at alone: an app
-- push sets it to 0, and a pass's success sets it no later than the earliest retry of a push left waiting
-- (the old "OR EXISTS (due outbox entry)" in the due query defeated the index).
DROP INDEX sync_mailbox_due;
CREATE INDEX sync_mailbox_due_queue ON sync_mailbox (enabled, connected, next_sync_at);
