-- Search that stays fast at a million PR/FAQs.
--
-- A search ranks the 1,000 most recently updated documents that match
-- (migrations/0005).  For a word in one document of 25 there are 40,000
-- matches in a million, and finding the newest 1,000 of them either walks
-- the updated_at index, reading each row's vector from TOAST until 1,000
-- match (25,000 vectors, 170 ms with every page in memory), or reads all
-- 40,000 rows the GIN index finds (115 ms).  Intersecting the GIN index's
-- matches with the updated_at index's range of the newest 100,000 documents
-- (a BitmapAnd) builds a bitmap of all 100,000 rows first, 35-45 ms.
--
-- The search index now also holds the day each PR/FAQ was last updated, so
-- that the intersection happens inside the index: the search looks for its
-- words among the documents of the newest days first (stmt_search_window in
-- src/db/store_search.c, README "Scaling"), and reads only the rows that
-- have both.  A multicolumn GIN index answers a query on its first column
-- alone as the single-column index did, so it replaces it.

-- The UTC day of a moment: the days since 1970-01-01.  Every function in
-- it is immutable (AT TIME ZONE with a named zone, the cast to date), so
-- PostgreSQL inlines it, in the index and in queries alike, rather than
-- calling an SQL function for each row.
CREATE FUNCTION prfaq_day(timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ($1 AT TIME ZONE 'UTC')::date - DATE '1970-01-01' $$;

CREATE INDEX prfaqs_search_day_idx
    ON prfaqs USING gin (search, (ARRAY[prfaq_day(updated_at)]));
DROP INDEX prfaqs_search_idx;
-- Statistics on the index's day expression, for the planner's estimate of
-- how many documents the window holds.
ANALYZE prfaqs;
