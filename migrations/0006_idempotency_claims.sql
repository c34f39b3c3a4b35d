-- Idempotency keys that survive crashes and lost connections.
--
-- A key used to be claimed in one transaction and its response recorded in
-- another, after the write.  Between the two, a crash or a connection lost
-- during COMMIT left the outcome unknown: releasing the key could duplicate
-- the write on retry, keeping it blocked the key for 24 hours.  Now:
--
--   claim        which claim owns the key; a retry that takes over an
--                abandoned claim gets a new one;
--   claimed_at   when the current claim was made (the lease starts);
--   written      set by the write itself, in its own transaction, and only
--                while its claim still owns the key: true means "committed",
--                whether or not the response was recorded.
ALTER TABLE idempotency_keys
    ADD COLUMN claim      uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN written    boolean NOT NULL DEFAULT false;
