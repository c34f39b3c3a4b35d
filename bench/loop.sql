-- bench/loop.sql - two launched PR/FAQs for bench/run's closing-the-loop
-- scenarios, written straight into the tables (no review loop to replay):
-- md5('bench-loop-api') receives measurements over HTTP, md5('bench-loop-copy')
-- the same rows by COPY.  Both are tests/fixtures/strong.json, whose metrics
-- are repeat-returners (output) and refund-seconds (input), decided at
-- version 1 and launched 30 days ago.  Their measurements are cleared, so
-- every run ingests into an empty document.  Prints the two ids.
--
--   psql -v fixture="$(cat tests/fixtures/strong.json)" -v user=<bench user id> -f bench/loop.sql
\set ON_ERROR_STOP on

BEGIN;
WITH d AS (
    SELECT md5('bench-loop-' || k)::uuid AS id FROM unnest(ARRAY['api', 'copy']) k),
p AS (
    INSERT INTO prfaqs (id, owner_id, status, version, title, content, quality,
                        decision, launch)
    SELECT d.id, :'user'::uuid, 'launched', 1, 'Bench loop', :'fixture'::jsonb,
           '{"score": 90, "findings": []}',
           jsonb_build_object('outcome', 'approved', 'rationale', 'bench',
                              'version', 1, 'at', rfc3339(now())),
           jsonb_build_object('on', to_char(current_date - 30, 'YYYY-MM-DD'))
      FROM d
    ON CONFLICT (id) DO NOTHING
    RETURNING id, title, content, quality)
INSERT INTO prfaq_versions (prfaq_id, number, title, content, quality, author_id)
SELECT id, 1, title, content, quality, :'user'::uuid FROM p;
DELETE FROM measurements WHERE prfaq_id IN (md5('bench-loop-api')::uuid, md5('bench-loop-copy')::uuid);
DELETE FROM measurement_counts WHERE prfaq_id IN (md5('bench-loop-api')::uuid, md5('bench-loop-copy')::uuid);
COMMIT;
-- The rows just deleted must not be scanned by what comes next.
VACUUM (ANALYZE) measurements;
VACUUM (ANALYZE) measurement_counts;
SELECT md5('bench-loop-api')::uuid || ' ' || md5('bench-loop-copy')::uuid;
