-- Tokens get a name (to tell them apart in GET /v1/users/{id}/tokens, and so
-- that `prfaqd create-token --name N --replace` can revoke the one it made
-- last time) and an optional expiry, after which they are refused like a
-- revoked one.
ALTER TABLE api_tokens ADD COLUMN name text
    CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100);
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;

-- The live tokens of a user by name: what --replace revokes.
CREATE INDEX api_tokens_user_name_idx ON api_tokens (user_id, name)
    WHERE revoked_at IS NULL;

-- /metrics counts failed deliveries; they only accumulate, so the count
-- reads this small index instead of the whole outbox.
CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (id)
    WHERE state = 'failed';
