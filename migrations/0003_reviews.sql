-- The review loop: leadership principles, reviews pinned to versions,
-- anchored comments with replies.

-- RFC 6901 pointer -> text[] path for the #> and #>> operators.
CREATE FUNCTION json_pointer_path(p text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE WHEN p = '' THEN '{}'::text[] ELSE ARRAY(
    SELECT replace(replace(t, '~1', '/'), '~0', '~')
      FROM unnest(string_to_array(substr(p, 2), '/')) WITH ORDINALITY AS u(t, n)
     ORDER BY n) END;

CREATE TABLE principles (
    slug      text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title     text NOT NULL,
    summary   text NOT NULL,
    position  integer NOT NULL DEFAULT 1000
);

-- Summaries in our own words; a company may add its own tenets.
INSERT INTO principles (slug, title, summary, position) VALUES
 ('customer-obsession', 'Customer Obsession', 'Start from the customer and work backwards; earn and keep their trust.', 1),
 ('ownership', 'Ownership', 'Think long term and act for the whole company, not just your team.', 2),
 ('invent-and-simplify', 'Invent and Simplify', 'Expect innovation from the team and always look for a simpler way.', 3),
 ('are-right-a-lot', 'Are Right, A Lot', 'Use strong judgment and seek views that challenge your own.', 4),
 ('learn-and-be-curious', 'Learn and Be Curious', 'Keep learning and explore new possibilities.', 5),
 ('hire-and-develop-the-best', 'Hire and Develop the Best', 'Raise the bar with every hire and grow the people around you.', 6),
 ('insist-on-the-highest-standards', 'Insist on the Highest Standards', 'Keep raising the bar; do not let defects travel downstream.', 7),
 ('think-big', 'Think Big', 'Set a bold direction that inspires results; small thinking is self-fulfilling.', 8),
 ('bias-for-action', 'Bias for Action', 'Speed matters; many decisions are reversible and need no extensive study.', 9),
 ('frugality', 'Frugality', 'Accomplish more with less; constraints breed resourcefulness.', 10),
 ('earn-trust', 'Earn Trust', 'Listen, speak candidly, and hold yourself to the standard you hold others to.', 11),
 ('dive-deep', 'Dive Deep', 'Stay connected to the details and audit them; be sceptical when metrics and anecdotes differ.', 12),
 ('have-backbone-disagree-and-commit', 'Have Backbone; Disagree and Commit', 'Challenge decisions you disagree with, then commit fully once decided.', 13),
 ('deliver-results', 'Deliver Results', 'Focus on the key inputs and deliver them with the right quality, on time.', 14),
 ('strive-to-be-earths-best-employer', 'Strive to be Earth''s Best Employer', 'Create a safer, more productive and more diverse workplace.', 15),
 ('success-and-scale-bring-broad-responsibility', 'Success and Scale Bring Broad Responsibility', 'Consider the second-order effects of what you build, and leave things better.', 16);

CREATE TABLE reviews (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prfaq_id     uuid NOT NULL,
    version      integer NOT NULL,
    reviewer_id  uuid NOT NULL REFERENCES users (id),
    verdict      text NOT NULL CHECK (verdict IN ('approve', 'request_changes', 'comment')),
    summary      text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (prfaq_id, version) REFERENCES prfaq_versions (prfaq_id, number)
);
CREATE INDEX reviews_prfaq_idx ON reviews (prfaq_id, version, verdict);

CREATE TABLE comments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prfaq_id     uuid NOT NULL REFERENCES prfaqs (id),
    review_id    uuid NOT NULL REFERENCES reviews (id),
    version      integer NOT NULL,
    position     integer NOT NULL,           -- order within its review
    anchor       text NOT NULL,              -- JSON Pointer into the version's content
    quote        text,
    body         text NOT NULL,
    principle    text REFERENCES principles (slug),
    author_id    uuid NOT NULL REFERENCES users (id),
    resolved_at  timestamptz,
    resolved_by  uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_prfaq_idx ON comments (prfaq_id, created_at, id);

CREATE TABLE comment_replies (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    comment_id  uuid NOT NULL REFERENCES comments (id),
    author_id   uuid NOT NULL REFERENCES users (id),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_replies_comment_idx ON comment_replies (comment_id, created_at, id);
