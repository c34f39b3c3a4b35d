-- bench/lint_body.sql - the body of the POST /v1/lint scenario: a PR/FAQ of
-- about 3,000 words, made from tests/fixtures/strong.json (about 1,100) by
-- running press-release paragraphs and FAQ answers on into others, saying
-- the customer answers twice, and adding six more FAQ entries per side (13
-- each; about 550 press-release and 2,300 FAQ words, under the limits).  Prints
-- the content object; bench/run wraps it as {"content": ...}.
--   psql -v fixture="$(cat tests/fixtures/strong.json)" -f bench/lint_body.sql
\set ON_ERROR_STOP on
WITH f AS (SELECT :'fixture'::jsonb AS c),
pr AS (
    SELECT (c -> 'press_release') || jsonb_build_object(
        'summary', (c #>> '{press_release,summary}') || ' ' || (c #>> '{press_release,call_to_action}'),
        'problem', (c #>> '{press_release,problem}') || ' ' || (c #>> '{faq,internal,2,answer}'),
        'solution', (c #>> '{press_release,solution}') || ' ' || (c #>> '{press_release,how_it_works}'),
        'how_it_works', (c #>> '{press_release,how_it_works}') || ' ' || (c #>> '{faq,external,3,answer}'))
        AS p
      FROM f
),
more(side, q, a) AS (VALUES
    ('external', 'Can I choose where the refund goes?', 'Yes. By default Instant Refunds sends the money back to the card or account you paid with. You can pick store credit instead, which arrives the same way and adds 2% to the amount.'),
    ('external', 'Does Instant Refunds work for orders paid with a gift card?', 'The part paid with a gift card comes back to the gift card balance within 60 seconds. The rest goes back to your card or account, the same way as any other refund.'),
    ('external', 'Will I get a receipt?', 'The app and an email both show the refund amount, the time of the carrier scan and the last four digits of the card. Agents see the same receipt if you call.'),
    ('external', 'Can I return items bought by someone else in my household?', 'Yes, if the order belongs to an Example Shop account in the same household. The refund goes to the account holder who paid for the order.'),
    ('external', 'Is my return history used to decide?', 'Yes. We look at the last 24 months of returns on your account. Customers with no history get Instant Refunds from their first return, with a limit of $300 per day.'),
    ('external', 'What about returns that I ship from home?', 'Home pickups qualify once the driver scans the package. That covers 1,400 cities at launch and every city with Example Shop pickup by the end of next year.'),
    ('internal', 'Why now?', 'Carrier scans became reliable in real time only in the last 18 months, and the instant payout service launched last year. Without both, we could not pay customers at the counter.'),
    ('internal', 'What does the team look like?', 'Eleven engineers, two scientists for the risk model, one product manager and one designer, for 9 months. After launch, four engineers stay on to run and improve it.'),
    ('internal', 'What happens to customer service volume?', 'We expect contacts about refund timing to fall from 18,000 a month to under 3,000. Contacts about held returns will rise by about 1,200 a month, and we will staff for them.'),
    ('internal', 'What did we decide not to do?', 'We do not refund before the carrier scan, even for customers with a perfect history, because the scan is the only proof that the package left the customer.'),
    ('internal', 'How does this affect sellers on our marketplace?', 'At launch it covers only items we sell and ship. Sellers can opt in next year, with Example Shop covering the float for the first 90 days.'),
    ('internal', 'What are the legal and compliance questions?', 'Payments law treats an instant refund like any other refund. Legal has reviewed the terms in 4 states and found no new disclosure duty for us or for the carriers.')
),
entries AS (
    SELECT side, ord, q, a FROM (
        SELECT s.side, e.ord, e.v ->> 'question' AS q, e.v ->> 'answer' AS a
          FROM f, (VALUES ('external'), ('internal')) s(side),
               jsonb_array_elements(f.c -> 'faq' -> s.side) WITH ORDINALITY e(v, ord)
        UNION ALL
        SELECT side, 100 + row_number() OVER (PARTITION BY side), q, a FROM more
    ) x
),
faq AS (
    -- Each answer runs on into the next entry's answer (external: the next two).
    SELECT side, jsonb_agg(jsonb_build_object('question', q,
               'answer', a || ' ' || coalesce(nxt, first_a) ||
                         CASE side WHEN 'external' THEN ' ' || coalesce(nxt2, first_a)
                                   ELSE '' END) ORDER BY ord) AS list
      FROM (SELECT side, ord, q, a,
                   lead(a) OVER (PARTITION BY side ORDER BY ord) AS nxt,
                   lead(a, 2) OVER (PARTITION BY side ORDER BY ord) AS nxt2,
                   first_value(a) OVER (PARTITION BY side ORDER BY ord) AS first_a
              FROM entries) e
     GROUP BY side
)
SELECT ((SELECT c FROM f) || jsonb_build_object(
               'press_release', (SELECT p FROM pr),
               'customer', (SELECT jsonb_object_agg(key, value || ' ' || value)
                              FROM f, jsonb_each_text(f.c -> 'customer')),
               'faq', jsonb_build_object(
                   'external', (SELECT list FROM faq WHERE side = 'external'),
                   'internal', (SELECT list FROM faq WHERE side = 'internal'))))::text;
