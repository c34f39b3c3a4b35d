-- bench/seed.sql - PR/FAQs :first..:last for the benchmark, written straight
-- into prfaqs, prfaq_versions, events and reviews (fast: no HTTP, one
-- statement per table).  Run by bench/run:
--
--   psql -v first=1 -v last=10000 -v fixture="$(cat tests/fixtures/strong.json)" \
--        -v quality="<POST /v1/lint report of the fixture>" -f bench/seed.sql
--
-- The documents are bench/seed_docs.sql's.  A document has 1-3 versions;
-- earlier versions lack the customer section and visuals.  Events and
-- reviews follow the history the status implies (created, revised...,
-- submitted, reviewed, decided, archived), in order, as prfaqd would have
-- written them.  Ranges may be seeded concurrently (bench/run runs one psql
-- per core); each commits once.
\set ON_ERROR_STOP on
\ir seed_docs.sql

BEGIN;

CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT * FROM pg_temp.bench_docs(:first, :last, :'fixture'::jsonb, :'quality'::jsonb);

INSERT INTO prfaqs (id, owner_id, status, version, title, team, tags, content,
                    quality, decision, created_at, updated_at)
SELECT id, owner_id, status, version, title, team, tags, content, quality,
       decision, created_at, updated_at
  FROM seed;

-- Earlier versions: before the customer section and visuals were written.
INSERT INTO prfaq_versions (prfaq_id, number, title, team, tags, content, quality,
                            author_id, change_note, created_at)
SELECT s.id, v, s.title, s.team, s.tags,
       CASE WHEN v = s.version THEN s.content ELSE s.content - 'customer' - 'visuals' END,
       s.quality, s.owner_id,
       CASE WHEN v = 1 THEN 'First draft' ELSE 'Answered review questions' END,
       s.created_at + (v - 1) * interval '1 day'
  FROM seed s, generate_series(1, s.version) v;

INSERT INTO reviews (prfaq_id, version, reviewer_id, verdict, summary, created_at)
SELECT id, version, reviewer_id,
       CASE status WHEN 'approved' THEN 'approve' ELSE 'request_changes' END,
       'Read it twice; the FAQ answers the questions I had.',
       created_at + (version - 1) * interval '1 day' + interval '90 minutes'
  FROM seed WHERE status IN ('approved', 'rejected');

-- The audit trail, oldest first, so that event ids follow time.
INSERT INTO events (prfaq_id, type, actor_id, at, data)
SELECT prfaq_id, type, actor_id, at, data FROM (
    SELECT s.n, v AS seq, s.id AS prfaq_id,
           CASE WHEN v = 1 THEN 'created' ELSE 'revised' END AS type,
           s.owner_id AS actor_id, s.created_at + (v - 1) * interval '1 day' AS at,
           jsonb_build_object('version', v) AS data
      FROM seed s, generate_series(1, s.version) v
    UNION ALL
    SELECT n, 10, id, 'submitted', owner_id,
           created_at + (version - 1) * interval '1 day' + interval '1 hour',
           jsonb_build_object('reviewers', jsonb_build_array(reviewer_id), 'version', version)
      FROM seed WHERE status IN ('in_review', 'approved', 'rejected')
    UNION ALL
    SELECT n, 11, id, 'reviewed', reviewer_id,
           created_at + (version - 1) * interval '1 day' + interval '90 minutes',
           jsonb_build_object('verdict', CASE status WHEN 'approved' THEN 'approve'
                                                     ELSE 'request_changes' END,
                              'version', version)
      FROM seed WHERE status IN ('approved', 'rejected')
    UNION ALL
    SELECT n, 12, id, 'decided', reviewer_id,
           created_at + (version - 1) * interval '1 day' + interval '2 hours',
           jsonb_build_object('outcome', status, 'version', version)
      FROM seed WHERE status IN ('approved', 'rejected')
    UNION ALL
    SELECT n, 13, id, 'archived', owner_id,
           created_at + (version - 1) * interval '1 day' + interval '2 hours',
           jsonb_build_object('version', version)
      FROM seed WHERE status = 'archived'
) e ORDER BY n, seq;

COMMIT;
