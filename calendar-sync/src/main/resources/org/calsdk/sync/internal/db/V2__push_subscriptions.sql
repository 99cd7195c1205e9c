-- Version 2: push subscriptions live in the store, so a restarted engine or another node renews or replaces
-- the one that exists instead of making a second. One per synced calendar.
CREATE TABLE sync_subscription (
    email_norm      VARCHAR(320)  NOT NULL REFERENCES sync_mailbox(email_norm) ON DELETE CASCADE,
    calendar_id     VARCHAR(1000) NOT NULL,
    subscription_id VARCHAR(2000) NOT NULL,
    resource_id     VARCHAR(2000),
    expires_at      BIGINT        NOT NULL,
    PRIMARY KEY (email_norm, calendar_id)
);
