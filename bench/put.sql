-- bench/put.sql - pgbench's copy of the transaction prfaqd runs for
-- PUT /v1/prfaqs/{id} (src/db/store_prfaqs.c: update_tx), statement for
-- statement, on a random draft document (see bench/seed.sql: document n is
-- md5('bench-' || n) and is a draft when n % 20 >= 8).  Run by bench/run with
--   pgbench -n -M prepared -f bench/put.sql -D ndocs=N -D actor=<user id>
--           -D title=... -D team=... -D tags=<json array> -D content=<json>
--           -D quality=<json> -D note=...
-- so that, as from prfaqd, the 7 KB document travels as a parameter.
\set k random(0, :ndocs / 20 - 1)
\set n :k * 20 + 8 + random(0, 11)
BEGIN;
SELECT p.owner_id AS l_owner, p.status AS l_status, p.version AS l_version,
       (jsonb_build_object('title', p.title, 'tags', to_jsonb(p.tags),
                           'content', p.content) ||
        CASE WHEN p.team IS NULL THEN '{}'::jsonb
             ELSE jsonb_build_object('team', p.team) END)::text AS l_body,
       p.quality::text AS l_quality,
       (SELECT count(*) FROM reviews r
         WHERE r.prfaq_id = p.id AND r.version = p.version
           AND r.verdict = 'approve' AND r.reviewer_id <> p.owner_id) AS l_approvals
  FROM prfaqs p WHERE p.id = md5('bench-' || :n)::uuid FOR UPDATE
\gset
WITH p AS (
  UPDATE prfaqs SET version = version + 1, title = :title, team = :team,
         tags = ARRAY(SELECT jsonb_array_elements_text(:tags::jsonb)),
         content = :content::jsonb, quality = :quality::jsonb,
         status = :l_status, updated_at = now()
   WHERE id = md5('bench-' || :n)::uuid
  RETURNING id, version, title, team, tags, content, quality, updated_at)
INSERT INTO prfaq_versions (prfaq_id, number, title, team, tags, content,
                            quality, author_id, change_note, restored_from,
                            created_at)
SELECT id, version, title, team, tags, content, quality, :actor::uuid, :note,
       NULL::int, updated_at FROM p
 RETURNING number;
INSERT INTO events (prfaq_id, type, actor_id, data)
VALUES (md5('bench-' || :n)::uuid, 'revised', :actor::uuid,
        jsonb_build_object('version', :l_version + 1));
SELECT version, doc::text FROM prfaq_documents WHERE id = md5('bench-' || :n)::uuid;
COMMIT;
