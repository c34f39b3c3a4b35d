-- bench/evidence_seed.sql - evidence items 1..:n for the benchmark (issue
-- 16), written straight into evidence (no HTTP), and links from the first
-- PR/FAQs to about one item in 50.  Run by bench/run after bench/seed.sql:
--
--   psql -v n=100000 -f bench/evidence_seed.sql
--
-- Item i: kind by i % 3 (anecdote, request, data: value and unit), sentiment
-- by (i / 3) % 3, source one of five (zendesk most), source_ref 'seed-<i>',
-- observed over the last three years.  Its text names one of 25 products
-- (a "medium" word, 1 in 25 items), a code word kw<0..4095> ("rare": about
-- 25 items each at 100,000) and "customer" ("common": every item); tags one
-- of 40 topics (1 in 40) and a segment tag.  Attributes come from
-- hashint4(i), so every seeding gives the same items.
\set ON_ERROR_STOP on

BEGIN;
INSERT INTO evidence (kind, text, sentiment, source, source_ref, url, segment,
                      customer, observed_on, tags, value, unit, created_by,
                      created_at, updated_at)
SELECT (ARRAY['anecdote', 'request', 'data'])[1 + i % 3],
       (ARRAY['The customer says', 'A customer asked why', 'Our customer reports that',
              'In the interview the customer explained that'])[1 + h % 4]
       || ' the ' ||
       (ARRAY['lockers', 'wallet', 'invoices', 'rentals', 'repairs', 'warranties',
              'coupons', 'wishlists', 'registries', 'subscriptions', 'gift cards',
              'returns', 'pickup', 'delivery slots', 'price alerts', 'bundles',
              'trade-ins', 'layaway', 'reviews', 'loyalty points', 'receipts',
              'recalls', 'samples', 'kiosks', 'vouchers'])[1 + i % 25]
       || ' flow ' ||
       (ARRAY['took nine days to refund an order', 'lost the cart twice at checkout',
              'needs a way to export every order to a spreadsheet',
              'showed the wrong price after the discount',
              'kept asking for the same address again',
              'worked well once support stepped in'])[1 + (h / 7) % 6]
       || ' (case kw' || (h % 4096) || ').',
       (ARRAY['negative', 'neutral', 'positive'])[1 + (i / 3) % 3],
       (ARRAY['zendesk', 'zendesk', 'intercom', 'survey', 'interviews'])[1 + (h / 11) % 5],
       'seed-' || i,
       CASE WHEN i % 4 = 0 THEN 'https://support.example.com/tickets/' || i END,
       (ARRAY['SMB', 'Enterprise', 'Consumer', 'Prime'])[1 + (h / 13) % 4],
       CASE WHEN i % 3 = 0 THEN 'Customer ' || i END,
       (current_date - (h % 1095))::date,
       ARRAY[(ARRAY['checkout', 'refunds', 'search', 'delivery', 'returns', 'pricing',
                    'accounts', 'payments', 'mobile', 'notifications'])[1 + (h / 17) % 10]
             || '-' || (h / 170) % 4,
             lower((ARRAY['SMB', 'Enterprise', 'Consumer', 'Prime'])[1 + (h / 13) % 4])],
       CASE WHEN i % 3 = 2 THEN ((h % 10000) / 100.0)::float8 END,
       CASE WHEN i % 3 = 2 THEN '%' END,
       (SELECT id FROM users ORDER BY created_at, id LIMIT 1),
       now() - interval '1 day', now() - interval '1 day'
  FROM (SELECT i, abs(hashint4(i)) AS h FROM generate_series(1, :n) i) s;

-- About one item in 50 is linked, from the first 500 PR/FAQs (by id).
INSERT INTO evidence_links (prfaq_id, evidence_id, linked_by)
SELECT p.id, e.id, e.created_by
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM prfaqs ORDER BY id LIMIT 500) p
  JOIN (SELECT id, created_by, row_number() OVER (ORDER BY id) AS r
          FROM evidence WHERE source_ref LIKE 'seed-%'
                          AND abs(hashint4(substr(source_ref, 6)::int)) % 50 = 0) e
    ON e.r % 500 = p.r - 1
ON CONFLICT DO NOTHING;
COMMIT;
VACUUM (ANALYZE) evidence;
VACUUM (ANALYZE) evidence_links;
