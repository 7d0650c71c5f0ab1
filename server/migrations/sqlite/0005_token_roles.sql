-- Token roles, expiry and last use. Before, a token without services and regions was also the
-- message admin; admin is now an explicit role. Every existing token becomes an operator (the
-- safe choice: no token gains or keeps a power nobody granted explicitly), so an admin token
-- must be created anew with `anlaufstelle token create --name … --admin`.
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'operator'
    CHECK (role IN ('operator', 'admin'));
-- RFC 3339 (UTC, whole seconds); NULL = never expires.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
-- RFC 3339 (UTC, whole seconds), written at most once a minute; NULL = never used.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
