-- PR/FAQ documents, their immutable versions, and the audit trail.

CREATE TABLE prfaqs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id    uuid NOT NULL REFERENCES users (id),
    status      text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'in_review', 'approved', 'rejected', 'archived')),
    version     integer NOT NULL CHECK (version >= 1),
    -- A copy of the newest version, so that reads and lists need no join.
    title       text NOT NULL,
    team        text,
    tags        text[] NOT NULL DEFAULT '{}',
    content     jsonb NOT NULL DEFAULT '{}',
    quality     jsonb NOT NULL,
    -- The decision in force (approved/rejected), cleared on reopen.
    decision    jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') ||
                    setweight(jsonb_to_tsvector('english', content, '["string"]'), 'B')
                ) STORED
);
CREATE INDEX prfaqs_updated_idx ON prfaqs (updated_at DESC, id DESC);
CREATE INDEX prfaqs_status_idx ON prfaqs (status, updated_at DESC, id DESC);
CREATE INDEX prfaqs_team_idx ON prfaqs (team, updated_at DESC, id DESC);
CREATE INDEX prfaqs_owner_idx ON prfaqs (owner_id, updated_at DESC, id DESC);
CREATE INDEX prfaqs_tags_idx ON prfaqs USING gin (tags);
CREATE INDEX prfaqs_search_idx ON prfaqs USING gin (search);

CREATE TABLE prfaq_versions (
    prfaq_id     uuid NOT NULL REFERENCES prfaqs (id),
    number       integer NOT NULL CHECK (number >= 1),
    title        text NOT NULL,
    team         text,
    tags         text[] NOT NULL DEFAULT '{}',
    content      jsonb NOT NULL,
    quality      jsonb NOT NULL,
    author_id    uuid NOT NULL REFERENCES users (id),
    change_note  text,
    restored_from integer,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- The (prfaq, number) key is what makes a lost update impossible: two
    -- writers of the same next version cannot both commit.
    PRIMARY KEY (prfaq_id, number)
);
CREATE TRIGGER prfaq_versions_immutable BEFORE UPDATE OR DELETE ON prfaq_versions
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prfaq_id  uuid NOT NULL REFERENCES prfaqs (id),
    type      text NOT NULL CHECK (type IN ('created', 'revised', 'restored',
                  'submitted', 'withdrawn', 'reviewed', 'commented', 'decided',
                  'reopened', 'archived')),
    actor_id  uuid NOT NULL REFERENCES users (id),
    at        timestamptz NOT NULL DEFAULT now(),
    data      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_prfaq_idx ON events (prfaq_id, id);
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION forbid_change();

-- The document as the API returns it, built by PostgreSQL so that a read is
-- one round trip and the stored JSON is passed through untouched.
CREATE VIEW prfaq_documents AS
SELECT p.id, p.version, p.status,
       json_build_object(
           'id', p.id,
           'title', p.title,
           'team', p.team,
           'tags', p.tags,
           'status', p.status,
           'owner', json_build_object('id', u.id, 'name', u.name),
           'version', p.version,
           'content', p.content,
           'quality', p.quality,
           'decision', p.decision,
           'created_at', rfc3339(p.created_at),
           'updated_at', rfc3339(p.updated_at)) AS doc
  FROM prfaqs p
  JOIN users u ON u.id = p.owner_id;
