-- Version 5: fenced leases. Every taking of a mailbox's lease raises its generation (the fencing token); a
-- pass's writes are accepted only while the mailbox row still has the pass's owner and generation. Lease
-- times (lease_until, epoch milliseconds) are from now on taken from the database's clock.
ALTER TABLE sync_mailbox ADD COLUMN lease_generation BIGINT DEFAULT 0 NOT NULL;
-- A sync requested (webhook, push signal, syncNow, an app push) while a pass runs must not be overwritten by
-- that pass's success: the request sets sync_requested, taking the lease clears it, and a success keeps the
-- mailbox due when it was set again meanwhile.
ALTER TABLE sync_mailbox ADD COLUMN sync_requested BOOLEAN DEFAULT FALSE NOT NULL;
