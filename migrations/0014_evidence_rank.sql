-- sort=evidence on the PR/FAQ list: most linked customer evidence first.
-- The count is kept per PR/FAQ by a trigger on evidence_links, in a table
-- of its own rather than a column of prfaqs: an UPDATE of prfaqs recomputes
-- its generated search vectors, which a link must not pay for.  Only
-- PR/FAQs with at least one link have a row; the list reads them through
-- the (links DESC, prfaq_id DESC) index, then the unlinked by id.
CREATE TABLE prfaq_evidence_counts (
    prfaq_id  uuid PRIMARY KEY REFERENCES prfaqs (id),
    links     integer NOT NULL CHECK (links >= 0)
);
CREATE INDEX prfaq_evidence_counts_rank_idx
    ON prfaq_evidence_counts (links DESC, prfaq_id DESC);

INSERT INTO prfaq_evidence_counts (prfaq_id, links)
SELECT prfaq_id, count(*) FROM evidence_links GROUP BY prfaq_id;

CREATE FUNCTION prfaq_evidence_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO prfaq_evidence_counts AS c (prfaq_id, links)
        VALUES (NEW.prfaq_id, 1)
        ON CONFLICT (prfaq_id) DO UPDATE SET links = c.links + 1;
        RETURN NEW;
    END IF;
    -- Decrement first: the row lock orders concurrent unlinks, so each
    -- sees the count the one before it left.  The last link gone: no row,
    -- as for a PR/FAQ never linked.
    UPDATE prfaq_evidence_counts SET links = links - 1
     WHERE prfaq_id = OLD.prfaq_id;
    DELETE FROM prfaq_evidence_counts
     WHERE prfaq_id = OLD.prfaq_id AND links = 0;
    RETURN OLD;
END;
$$;

CREATE TRIGGER evidence_links_count
    AFTER INSERT OR DELETE ON evidence_links
    FOR EACH ROW EXECUTE FUNCTION prfaq_evidence_count();

-- The evidence list's first page (GET /v1/evidence?q=&tag=) is planned
-- with its values (src/db/store_evidence.c), and the plan is only as good
-- as the estimate of how many items hold the word or tag: with the default
-- statistics a rare word looks common enough to walk the newest-first index
-- over every item (a second at 100,000) instead of asking the GIN index.
-- A larger sample keeps rare words' frequencies (0.1 ms instead).
ALTER TABLE evidence ALTER COLUMN search SET STATISTICS 1000;
ALTER TABLE evidence ALTER COLUMN tags SET STATISTICS 1000;
ANALYZE evidence;
