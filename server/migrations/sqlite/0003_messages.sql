-- Contact-form messages and their delivery (outbox). A row is written in one transaction
-- before the citizen gets a reference; the outbox worker delivers it by SMTP afterwards.
-- Personal data (body, reply address, name) is set to NULL when the retention period after
-- delivery has passed; what remains holds no personal data.

CREATE TABLE messages (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    reference           TEXT NOT NULL UNIQUE,          -- AS-<year>-<id, 6 digits>
    idempotency_key     TEXT NOT NULL UNIQUE,          -- chosen by the widget per message
    request_hash        TEXT NOT NULL,                 -- SHA-256 of the accepted submission
    received_at         TEXT NOT NULL,                 -- RFC 3339, UTC
    category            TEXT NOT NULL,                 -- question | technical | accessibility
    leika               TEXT,
    ars                 TEXT,
    form_step           TEXT,
    error_code          TEXT,
    page_path           TEXT,
    lang                TEXT NOT NULL DEFAULT 'de',
    body                TEXT,                          -- NULL once purged
    reply_email         TEXT,                          -- NULL once purged
    sender_name         TEXT,                          -- NULL once purged
    wants_confirmation  INTEGER NOT NULL DEFAULT 0,
    recipient_email     TEXT NOT NULL,                 -- the Funktionspostfach
    recipient_contact   TEXT NOT NULL,                 -- contact id
    recipient_name      TEXT NOT NULL,
    routing_reason      TEXT NOT NULL,                 -- why this recipient, for people
    status              TEXT NOT NULL DEFAULT 'queued',-- queued | delivered | dead
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,                 -- RFC 3339, UTC
    last_error          TEXT,
    delivered_at        TEXT,
    confirmation_status TEXT,                          -- NULL | sent | failed | not_wanted
    purged_at           TEXT
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);
CREATE INDEX messages_purge ON messages (status, delivered_at) WHERE purged_at IS NULL;
