-- The contact form's defences (issue 12).
--
-- Form tokens are single-use: the nonce of every token a message was accepted with is kept
-- here until the token would have expired anyway, in the same transaction as the message, so
-- a replay is refused across restarts (and, with a shared database, across instances).
CREATE TABLE form_token_nonces (
    nonce       TEXT PRIMARY KEY,      -- the random middle part of the signed token
    used_at     TEXT NOT NULL,         -- RFC 3339, UTC
    expires_at  TEXT NOT NULL          -- RFC 3339, UTC: issued + token lifetime; purged after
);
CREATE INDEX form_token_nonces_expiry ON form_token_nonces (expires_at);

-- Confirmations per citizen address are limited (a few per day): the address is counted by
-- its SHA-256 (lower-cased), so the count needs no readable address and survives restarts.
ALTER TABLE messages ADD COLUMN confirmation_key TEXT;   -- NULL once purged
CREATE INDEX messages_confirmation_key ON messages (confirmation_key, received_at)
    WHERE confirmation_key IS NOT NULL;

-- When a message was set aside as dead: its personal data is deleted the retention period
-- after that. Dead and long-queued messages whose personal data is deleted become `expired`
-- (status) and are never delivered empty.
ALTER TABLE messages ADD COLUMN dead_at TEXT;
