-- Learnings (issue 17): what a launched, rejected or archived PR/FAQ taught,
-- kept where the next PR/FAQ on a similar problem will meet it.
--
-- Related learnings are ranked by PostgreSQL full text (ts_rank_cd) rather
-- than pg_trgm: on the labelled set in tests/fixtures/learnings
-- (scripts/eval-related, README "Learnings") it had the better precision at
-- 3 and mean average precision, and its GIN index answers an OR of words
-- without reading every row, where a trigram match of a whole document's
-- text does not.  A learning is matched with the text of its own PR/FAQ as
-- well (context): both methods ranked better with it.

-- What a PR/FAQ is about, for related-learnings: its title, headline,
-- problem and solution.
CREATE FUNCTION prfaq_related_text(title text, content jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN concat_ws(' ', title,
                 content #>> '{press_release,headline}',
                 content #>> '{press_release,problem}',
                 content #>> '{press_release,solution}');

-- array_to_string is only STABLE (for element types whose output may
-- change); for text[] it is immutable, which a generated column needs.
CREATE FUNCTION learning_tags_text(tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN array_to_string(tags, ' ');

CREATE TABLE learnings (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prfaq_id    uuid NOT NULL REFERENCES prfaqs (id),
    expected    text CHECK (char_length(expected) BETWEEN 1 AND 4000),
    observed    text CHECK (char_length(observed) BETWEEN 1 AND 4000),
    lesson      text NOT NULL CHECK (char_length(lesson) BETWEEN 1 AND 4000),
    tags        text[] NOT NULL DEFAULT '{}',
    author_id   uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- What its PR/FAQ was about when the lesson was written (title,
    -- headline, problem, solution: prfaq_related_text), so that a lesson
    -- that never names its subject is still found by it.  Not shown.
    context     text NOT NULL DEFAULT '',
    -- The lesson first: it is what a reader acts on; tags count as much.
    search      tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', lesson || ' ' ||
                                          learning_tags_text(tags)), 'A') ||
                    setweight(to_tsvector('english', coalesce(expected, '') || ' ' ||
                                                     coalesce(observed, '')), 'B') ||
                    setweight(to_tsvector('english', context), 'C')) STORED
);
-- A PR/FAQ's learnings, oldest first.
CREATE INDEX learnings_prfaq_idx ON learnings (prfaq_id, created_at, id);
-- All of them, newest first; search candidates are the newest matches.
CREATE INDEX learnings_newest_idx ON learnings (created_at DESC, id DESC);
CREATE INDEX learnings_tags_idx ON learnings USING gin (tags);
CREATE INDEX learnings_search_idx ON learnings USING gin (search);

-- The OR of the first n distinct lexemes of v (in text order: the title's
-- words before the solution's), as a tsquery: any shared word makes a
-- learning a candidate, ts_rank_cd orders them.  NULL for a vector without
-- lexemes.  Lexemes are quoted, so no text of a document is read as
-- tsquery syntax.
CREATE FUNCTION tsvector_any_query(v tsvector, n integer) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN (SELECT string_agg(format('''%s''', replace(replace(l.lexeme, '\', '\\'), '''', '''''')),
                          ' | ')::tsquery
          FROM (SELECT u.lexeme FROM unnest(v) u
                 ORDER BY u.positions[1], u.lexeme LIMIT n) l);

-- Every event type of the contract (API.md, "Audit trail"), learning_added
-- among them.
ALTER TABLE events DROP CONSTRAINT events_type_check;
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (
    'created', 'revised', 'restored', 'submitted', 'withdrawn', 'reviewed',
    'commented', 'decided', 'reopened', 'archived', 'reviewers_changed',
    'evidence_linked', 'evidence_unlinked', 'launched', 'measured',
    'learning_added'));
