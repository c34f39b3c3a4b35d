-- Users can be deactivated: none of their tokens, opaque or JWT, works
-- while active is false (the row stays, so their PR/FAQs, reviews and events
-- keep their author).  And the analyst role of the contract: a data
-- pipeline's user, which records measurements and imports evidence.
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;

ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check
    CHECK (roles <@ ARRAY['admin', 'author', 'reviewer', 'approver', 'analyst']);
