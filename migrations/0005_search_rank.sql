-- Search that stays fast as the library grows.
--
-- Ranking every match with ts_rank over the whole-document vector costs a
-- detoast and a scan of a ~5 KB tsvector per match: 10,000 matches took
-- 150 ms of database CPU, and 100,000 would take seconds.  Two changes:
--
--   * ranking reads search_head, a small vector of what a reader scans first
--     (title, then headline and subheading, then the summary), stored inline
--     in the row; the full vector still decides what matches, through its
--     GIN index;
--   * at most the 1,000 most recently updated matches are ranked (see
--     prfaq_search in src/db/store_prfaqs.c and README, "Search"): a word
--     found in nearly every PR/FAQ costs the same at 100,000 documents as at
--     1,000.
ALTER TABLE prfaqs ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english',
        coalesce(content #>> '{press_release,headline}', '') || ' ' ||
        coalesce(content #>> '{press_release,subheading}', '')), 'B') ||
    setweight(to_tsvector('english',
        coalesce(content #>> '{press_release,summary}', '')), 'C')
) STORED;
