-- bench/get.sql - pgbench's copy of the statement prfaqd runs for
-- GET /v1/prfaqs/{id} (src/db/store_prfaqs.c, prfaq_doc_get; bench/floor.c
-- prepares the same), on a random document of bench/seed_docs.sql (document
-- n is md5('bench-' || n)).  Run by bench/run --scale with
--   pgbench -n -M prepared -f bench/get.sql -D ndocs=N
\set n random(1, :ndocs)
SELECT d.version, left(d.doc::text, -1) || ',"evidence":' || (
  SELECT json_build_object('links', count(*),
    'anecdote', count(*) FILTER (WHERE e.kind = 'anecdote'),
    'request', count(*) FILTER (WHERE e.kind = 'request'),
    'data', count(*) FILTER (WHERE e.kind = 'data'),
    'negative', count(*) FILTER (WHERE e.sentiment = 'negative'),
    'positive', count(*) FILTER (WHERE e.sentiment = 'positive'))::text
    FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id
   WHERE l.prfaq_id = d.id) || '}'
  FROM prfaq_documents d WHERE d.id = md5('bench-' || :n)::uuid;
