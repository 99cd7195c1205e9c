-- Version 3: each push subscription keeps its own client secret (Graph clientState, Google channel token),
-- which incoming notifications are checked against, and webhooks addressed to a whole integration find
-- their subscriptions by the provider's id. Subscriptions stored before had no secret of their own and
-- cannot be checked: they are forgotten; the next pass subscribes again, and the old ones expire at the
-- provider (their notifications meanwhile find no subscription and are refused).
DELETE FROM sync_subscription;
ALTER TABLE sync_subscription ADD COLUMN client_state VARCHAR(200) NOT NULL;
CREATE INDEX sync_subscription_by_id ON sync_subscription (subscription_id);
