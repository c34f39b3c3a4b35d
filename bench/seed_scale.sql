-- bench/seed_scale.sql - PR/FAQs :first..:last as a COPY stream (text
-- format, the prfaqs columns bench/run --scale names), for
--
--   psql -q -v first=1 -v last=1000000 -v fixture=... -v quality=... \
--        -f bench/seed_scale.sql | psql -c "COPY prfaqs (...) FROM STDIN ..."
--
-- The generating backend and the loading one (parsing, the search vectors,
-- TOAST compression) each take a core.  Only the documents: their version
-- history, events and reviews, which no measured request reads, are left
-- out at this size (bench/seed.sql writes them for the smaller sets).
-- Run with -q: nothing but the rows may reach stdout.
\set ON_ERROR_STOP on
\ir seed_docs.sql

COPY (SELECT id, owner_id, status, version, title, team, tags, content,
             quality, decision, created_at, updated_at
        FROM pg_temp.bench_docs(:first, :last, :'fixture'::jsonb, :'quality'::jsonb))
  TO STDOUT;
