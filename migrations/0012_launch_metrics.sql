-- Closing the loop: a PR/FAQ is launched, its metrics are measured, and the
-- numbers are held against the targets of the version that was decided.

-- launched: approved -> launched, which can only be archived.
ALTER TABLE prfaqs DROP CONSTRAINT prfaqs_status_check;
ALTER TABLE prfaqs ADD CONSTRAINT prfaqs_status_check
    CHECK (status IN ('draft', 'in_review', 'approved', 'rejected', 'launched', 'archived'));
-- {on: date, by: {id, name}, note}: set once by the launch, never cleared
-- (a launched PR/FAQ is not reopened).
ALTER TABLE prfaqs ADD COLUMN launch jsonb;

-- Every event type of the contract (API.md "Audit trail"), so that the
-- migrations adding launched/measured and learning_added agree whatever
-- order they are applied in.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'revised', 'restored', 'submitted', 'withdrawn',
                    'reviewed', 'commented', 'decided', 'reopened', 'archived',
                    'reviewers_changed', 'evidence_linked', 'evidence_unlinked',
                    'launched', 'measured', 'learning_added'));

-- One point of one metric.  A pipeline sends the same point again after a
-- retry or a correction: (prfaq, metric, at, source) is the upsert key, so
-- the primary key serves both the upsert and the scorecard's "first" and
-- "latest" (an index scan of one row at either end, whatever the volume).
-- source '' is "no source" (the key cannot hold NULL).
CREATE TABLE measurements (
    prfaq_id     uuid NOT NULL REFERENCES prfaqs (id),
    metric       text NOT NULL CHECK (metric ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    at           timestamptz NOT NULL,
    source       text NOT NULL DEFAULT '',
    value        double precision NOT NULL,
    note         text,
    recorded_by  uuid NOT NULL REFERENCES users (id),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (prfaq_id, metric, at, source)
);

-- How many points each metric has, kept by the batch that adds them, so the
-- scorecard does not count 100,000 index entries on every read.
CREATE TABLE measurement_counts (
    prfaq_id  uuid NOT NULL REFERENCES prfaqs (id),
    metric    text NOT NULL,
    n         bigint NOT NULL CHECK (n >= 0),
    PRIMARY KEY (prfaq_id, metric)
);
CREATE INDEX measurements_at_idx ON measurements (prfaq_id, at, metric, source);
