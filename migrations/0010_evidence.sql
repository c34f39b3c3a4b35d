-- Voice of the customer: what customers said or did (anecdotes, requests,
-- data points), kept on its own and linked to the PR/FAQs that work
-- backwards from it.  Sync jobs upsert on (source, source_ref), so that pair
-- is unique whenever source_ref is set.
CREATE TABLE evidence (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind         text NOT NULL CHECK (kind IN ('anecdote', 'request', 'data')),
    text         text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 4000),
    sentiment    text NOT NULL DEFAULT 'neutral'
                 CHECK (sentiment IN ('negative', 'neutral', 'positive')),
    source       text,
    source_ref   text,
    url          text CHECK (url ~ '^https?://'),
    segment      text,
    customer     text,
    observed_on  date,
    tags         text[] NOT NULL DEFAULT '{}',
    value        double precision,
    unit         text,
    created_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- The date a list sorts on: observed_on when known, else the day it
    -- was recorded; stored so the keyset index can hold it.
    sort_on      date GENERATED ALWAYS AS (coalesce(observed_on, (created_at AT TIME ZONE 'UTC')::date)) STORED,
    search       tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('english', text), 'A') ||
                     setweight(to_tsvector('english', coalesce(customer, '') || ' ' ||
                                                      coalesce(segment, '') || ' ' ||
                                                      coalesce(source, '')), 'B')) STORED,
    CHECK (kind = 'data' OR (value IS NULL AND unit IS NULL))
);
-- source_ref without a source is still unique among the source-less.
CREATE UNIQUE INDEX evidence_source_ref_key ON evidence (coalesce(source, ''), source_ref)
    WHERE source_ref IS NOT NULL;
-- Newest observed first, keyset paged on (sort_on, id).
CREATE INDEX evidence_newest_idx ON evidence (sort_on DESC, id DESC);
CREATE INDEX evidence_kind_idx ON evidence (kind, sort_on DESC, id DESC);
CREATE INDEX evidence_sentiment_idx ON evidence (sentiment, sort_on DESC, id DESC);
CREATE INDEX evidence_source_idx ON evidence (source, sort_on DESC, id DESC);
CREATE INDEX evidence_tags_idx ON evidence USING gin (tags);
CREATE INDEX evidence_search_idx ON evidence USING gin (search);

CREATE TABLE evidence_links (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prfaq_id     uuid NOT NULL REFERENCES prfaqs (id),
    evidence_id  uuid NOT NULL REFERENCES evidence (id),
    anchor       text,
    quote        text,
    note         text,
    linked_by    uuid NOT NULL REFERENCES users (id),
    linked_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (prfaq_id, evidence_id)
);
CREATE INDEX evidence_links_evidence_idx ON evidence_links (evidence_id);

-- Linking and unlinking evidence is part of a PR/FAQ's audit trail and
-- reaches webhooks like every other event.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check
    CHECK (type IN ('created', 'revised', 'restored', 'submitted', 'withdrawn',
                    'reviewed', 'commented', 'decided', 'reopened', 'archived',
                    'evidence_linked', 'evidence_unlinked'));
