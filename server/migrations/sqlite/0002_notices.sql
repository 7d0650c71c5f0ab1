-- Disruption / maintenance notices, their change log (the SSE event ids), and operator tokens.

CREATE TABLE notices (
    id          TEXT PRIMARY KEY,
    body        TEXT NOT NULL,      -- the stored notice as JSON (server/src/notices/model.rs)
    updated_at  TEXT NOT NULL
);

-- Every change to a notice, in order. The row id is the event id clients resume from.
CREATE TABLE notice_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id  TEXT NOT NULL REFERENCES notices (id),
    body       TEXT NOT NULL        -- the notice as JSON after the change
);

-- Bearer tokens for operators and monitoring; only a SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    hash        TEXT NOT NULL UNIQUE,
    services    TEXT NOT NULL DEFAULT '[]',   -- LeiKa keys the token may touch; [] = all
    regions     TEXT NOT NULL DEFAULT '[]',   -- ARS prefixes the token may touch; [] = all
    created_at  TEXT NOT NULL
);
