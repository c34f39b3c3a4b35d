-- Portal integration: idempotent retries and webhooks with an outbox.

-- A key is the caller's: two users may use the same key.  The stored
-- response is replayed for a retry with the same request; keys expire after
-- 24 hours.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL REFERENCES users (id),
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash  bytea NOT NULL,
    status        integer,                 -- NULL while the first request runs
    response      jsonb,                   -- {content_type, headers, body}
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

CREATE TABLE webhooks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url         text NOT NULL CHECK (url ~ '^https?://'),
    -- Event types to deliver; empty means all.
    events      text[] NOT NULL DEFAULT '{}',
    description text,
    -- The HMAC key: needed in clear to sign, shown to the admin once.
    secret      text NOT NULL,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);

-- The outbox: one row per (webhook, event), written by a trigger in the same
-- transaction as the event, so nothing is lost if prfaqd stops.
CREATE TABLE webhook_deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id),
    event_id         bigint NOT NULL REFERENCES events (id),
    state            text NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- A delivery being attempted is leased, so that several instances never
    -- send the same one at once; an expired lease (a crashed sender) frees it.
    leased_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id),
    at            timestamptz NOT NULL DEFAULT now(),
    status_code   integer,               -- NULL when no HTTP answer came
    error         text,
    duration_ms   integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

CREATE FUNCTION events_to_outbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, event_id)
    SELECT w.id, NEW.id FROM webhooks w
     WHERE w.deleted_at IS NULL
       AND (cardinality(w.events) = 0 OR NEW.type = ANY (w.events));
    -- Wake the senders now rather than at their next poll.
    PERFORM pg_notify('prfaq_outbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER events_outbox AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_to_outbox();
