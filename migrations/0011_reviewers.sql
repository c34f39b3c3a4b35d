-- Requested reviewers (issue 15): who was asked to review a PR/FAQ, so that
-- the document can show each one's state and a reviewer can list what waits
-- for them.  Their state is not stored: it is their latest review of the
-- current version, so a new version makes it pending again by itself.

CREATE TABLE prfaq_reviewers (
    prfaq_id  uuid NOT NULL REFERENCES prfaqs (id),
    user_id   uuid NOT NULL REFERENCES users (id),
    -- Request order, for a stable list on the document.
    position  bigint GENERATED ALWAYS AS IDENTITY,
    added_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (prfaq_id, user_id)
);
-- reviewer= and awaiting= start from the user's requests.
CREATE INDEX prfaq_reviewers_user_idx ON prfaq_reviewers (user_id, prfaq_id);
-- awaiting= asks whether the user reviewed the current version.
CREATE INDEX reviews_reviewer_idx ON reviews (reviewer_id, prfaq_id, version);

-- Every event type of the contract, reviewers_changed among them.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
    'created', 'revised', 'restored', 'submitted', 'withdrawn', 'reviewed',
    'commented', 'decided', 'reopened', 'archived', 'reviewers_changed',
    'evidence_linked', 'evidence_unlinked', 'launched', 'measured',
    'learning_added'));

-- [{user: {id, name}, state}] of a PR/FAQ at version ver, in request order.
CREATE FUNCTION prfaq_reviewers_json(pid uuid, ver integer) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT coalesce(json_agg(json_build_object(
            'user', json_build_object('id', u.id, 'name', u.name),
            'state', coalesce((
                SELECT CASE r.verdict WHEN 'approve' THEN 'approved'
                                      WHEN 'request_changes' THEN 'changes_requested'
                                      ELSE 'commented' END
                  FROM reviews r
                 WHERE r.prfaq_id = pid AND r.version = ver
                   AND r.reviewer_id = rv.user_id
                 ORDER BY r.created_at DESC, r.id DESC LIMIT 1), 'pending'))
            ORDER BY rv.position), '[]'::json)
          FROM prfaq_reviewers rv JOIN users u ON u.id = rv.user_id
         WHERE rv.prfaq_id = pid);

CREATE OR REPLACE VIEW prfaq_documents AS
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
           'reviewers', prfaq_reviewers_json(p.id, p.version),
           'created_at', rfc3339(p.created_at),
           'updated_at', rfc3339(p.updated_at)) AS doc
  FROM prfaqs p
  JOIN users u ON u.id = p.owner_id;
