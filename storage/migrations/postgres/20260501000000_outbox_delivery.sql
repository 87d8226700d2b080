-- What a sender must know before delivering a message again:
-- - first_attempt_at: when the message was first leased; a check for an earlier delivery looks
--   no further back in the room than this.
-- - in_doubt: 1 when an earlier attempt may have reached the platform without the outbox
--   hearing of it (its sender died holding the lease, or the request failed in a way that does
--   not say whether it arrived): the next sender looks for the message before sending it again.
ALTER TABLE outbox ADD COLUMN first_attempt_at TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN in_doubt BIGINT NOT NULL DEFAULT 0 CHECK (in_doubt IN (0, 1));

-- Leasing takes the head of each receiver's queue: the undelivered messages of a platform by
-- receiver, in order.
CREATE INDEX outbox_queue ON outbox (platform, receiver, id) WHERE state IN ('pending', 'leased');
