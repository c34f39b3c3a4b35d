-- bench/seed_docs.sql - the benchmark's documents, as a function that
-- bench/seed.sql (10,000 and 100,000 PR/FAQs, with their history) and
-- bench/run --scale (1,000,000, streamed with COPY) both read, so that every
-- size holds the same kind of document.  Included with \ir; creates the 50
-- bench users and pg_temp.bench_docs(first, last, fixture, quality), which
-- returns the rows for documents first..last:
--
-- Every document is tests/fixtures/strong.json with its own product, company,
-- city, people, numbers and code name, plus 1-3 extra FAQ entries per side
-- (8-10 each), about 7.5 KB of content.  Document n has the id
-- md5('bench-' || n)::uuid, so bench/put.sql and the wrk scripts can name
-- documents without a lookup.  Attributes come from hashint4(n) (repeatable
-- across runs), except the status, which bench/put.sql must be able to
-- predict: n % 20 in 0-2 in_review, 3-5 approved, 6 rejected, 7 archived,
-- else draft (60%).  Search terms come in three frequencies: the fixture's
-- own words (every document), the product words (1 in 25: "lockers") and
-- the code names (1 in 4,096: "karan").
\set ON_ERROR_STOP on

-- 50 authors who are also reviewers and approvers.
INSERT INTO users (id, name, email, roles, created_at)
SELECT md5('bench-user-' || i)::uuid,
       (ARRAY['Ana','Ben','Chen','Dana','Eli','Fatima','Gus','Hana','Ivan','Jo'])[1 + i % 10]
       || ' ' ||
       (ARRAY['Ortiz','Shah','Kim','Novak','Mensah'])[1 + (i / 10) % 5],
       'bench-user-' || i || '@example.com',
       ARRAY['author', 'reviewer', 'approver'],
       now() - interval '2 years'
  FROM generate_series(0, 49) i
ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION pg_temp.bench_docs(first_n int, last_n int, fixture jsonb, quality jsonb)
RETURNS TABLE (n int, id uuid, owner_id uuid, reviewer_id uuid, status text,
               version int, title text, team text, tags text[], content jsonb,
               quality jsonb, decision jsonb, created_at timestamptz,
               updated_at timestamptz)
LANGUAGE sql STABLE AS $gen$
WITH k AS (
    SELECT n,
           abs(hashint4(n))      AS h1,
           abs(hashint4(n + 1e6::int)) AS h2,
           abs(hashint4(n + 2e6::int)) AS h3
      FROM generate_series(first_n, last_n) n
), named AS (
    SELECT n, h1, h2, h3,
           (ARRAY['Instant','Smart','One-Tap','Express','Shared','Live','Green',
                  'Family','Secure','Quick','Open','Local','Auto','Flex','Prime',
                  'Easy','Bright','Simple','Trusted','Rapid'])[1 + h1 % 20]
           || ' ' ||
           (ARRAY['Refunds','Returns','Checkout','Delivery','Lockers',
                  'Subscriptions','Wallet','Reorders','Gift Cards','Pickup',
                  'Receipts','Invoices','Payouts','Rentals','Repairs',
                  'Trade-ins','Warranties','Bundles','Coupons','Rewards',
                  'Carts','Wishlists','Registries','Alerts','Quotes'])[1 + (h1 / 20) % 25]
               AS product,
           (ARRAY['Example Shop','Northwind','Contoso Market','Fabrikam Stores',
                  'Tailspin Outlet','Adventure Works','Wide World Goods',
                  'Proseware Retail','Litware Mart','Lucerne Market',
                  'Margie Travel','Blue Yonder Shop','Coho Grocers',
                  'Fourth Coffee','Woodgrove Bazaar','Alpine Ski House',
                  'Humongous Depot','Graphic Design Co-op','Trey Outfitters',
                  'Wingtip Toys','City Power Supply','Consolidated Goods',
                  'Relecloud Store','Datum Books','VanArsdel Home',
                  'Bellows College Shop','Southridge Video','Nod Publishers',
                  'Olympia Sports','Munson Pickles','Liberty Delightful'])[1 + h2 % 31]
               AS company,
           (ARRAY['Denver','Austin','Boston','Chicago','Portland','Atlanta',
                  'Phoenix','Detroit','Miami','Dallas','Houston','Seattle',
                  'Nashville','Omaha','Tucson','Raleigh','Richmond','Tampa',
                  'Columbus','Memphis','Louisville','Baltimore','Milwaukee',
                  'Albuquerque','Fresno','Sacramento','Kansas City','Mesa',
                  'Oakland','Minneapolis','Tulsa','Wichita','Arlington',
                  'New Orleans','Cleveland','Honolulu','Anchorage'])[1 + h2 / 31 % 37]
               AS city,
           (ARRAY['ka','lo','mi','ne','ru','sa','to','vi','ze','bo','du','fe',
                  'gi','ha','jo','pu'])[1 + h3 % 16] ||
           (ARRAY['ra','le','no','ti','ma','ke','si','va','do','lu','be','wo',
                  'ni','pa','zu','co'])[1 + h3 / 16 % 16] ||
           (ARRAY['n','x','l','r','s','m','t','k','','d','v','z','p','g','f','b'])[1 + h3 / 256 % 16]
               AS codename,
           (ARRAY['Dana Ortiz','Sam Lee','Maria Rossi','Tom Baker','Aisha Bello',
                  'Kenji Sato','Olga Ivanova','Luis Gomez','Ruth Cohen','Omar Haddad'])[1 + h3 / 4096 % 10]
               AS leader,
           (ARRAY['Priya Shah','Jake Miller','Lena Weber','Carlos Diaz','Mei Wong',
                  'Noah Brown','Zoe Martin','Ravi Patel','Ella Clark','Yusuf Ali'])[1 + h1 / 500 % 10]
               AS customer,
           (ARRAY['payments','returns','fulfillment','search','ads','devices',
                  'grocery','pharmacy','marketplace','logistics','prime',
                  'music','video','books','fashion','home','b2b','travel',
                  'rewards','support'])[1 + h2 / 1147 % 20]
               AS team
      FROM k
), extras AS (
    SELECT '[
      {"question": "Can I choose where the refund goes?",
       "answer": "Yes. By default Instant Refunds sends the money back to the card or account you paid with. You can pick store credit instead, which arrives the same way and adds 2% to the amount."},
      {"question": "Does Instant Refunds work for orders paid with a gift card?",
       "answer": "The part paid with a gift card comes back to the gift card balance within 60 seconds. The rest goes back to your card or account, the same way as any other refund."},
      {"question": "Will I get a receipt?",
       "answer": "The app and an email both show the refund amount, the time of the carrier scan and the last four digits of the card. Agents see the same receipt if you call."},
      {"question": "Can I return items bought by someone else in my household?",
       "answer": "Yes, if the order belongs to an Example Shop account in the same household. The refund goes to the account holder who paid for the order."},
      {"question": "Is my return history used to decide?",
       "answer": "Yes. We look at the last 24 months of returns on your account. Customers with no history get Instant Refunds from their first return, with a limit of $300 per day."},
      {"question": "What about returns that I ship from home?",
       "answer": "Home pickups qualify once the driver scans the package. That covers 1,400 cities at launch and every city with Example Shop pickup by the end of next year."}
    ]'::jsonb AS ext, '[
      {"question": "Why now?",
       "answer": "Carrier scans became reliable in real time only in the last 18 months, and the instant payout service launched last year. Without both, we could not pay customers at the counter."},
      {"question": "What does the team look like?",
       "answer": "Eleven engineers, two scientists for the risk model, one product manager and one designer, for 9 months. After launch, four engineers stay on to run and improve it."},
      {"question": "What happens to customer service volume?",
       "answer": "We expect contacts about refund timing to fall from 18,000 a month to under 3,000. Contacts about held returns will rise by about 1,200 a month, and we will staff for them."},
      {"question": "What did we decide not to do?",
       "answer": "We do not refund before the carrier scan, even for customers with a perfect history, because the scan is the only proof that the package left the customer."},
      {"question": "How does this affect sellers on our marketplace?",
       "answer": "At launch it covers only items we sell and ship. Sellers can opt in next year, with Example Shop covering the float for the first 90 days."},
      {"question": "What are the legal and compliance questions?",
       "answer": "Payments law treats an instant refund like any other refund. Legal has reviewed the terms in 4 states and found no new disclosure duty for us or for the carriers."}
    ]'::jsonb AS int
), content AS (
    SELECT named.*,
           replace(replace(replace(replace(replace(replace(replace(replace(
           replace(replace(replace(replace(
               jsonb_set(jsonb_set(fixture,
                   '{faq,external}',
                   (fixture #> '{faq,external}') ||
                   (SELECT jsonb_agg(extras.ext -> ((h1 + i) % 6)) FROM generate_series(0, h2 % 3) i)),
                   '{faq,internal}',
                   (fixture #> '{faq,internal}') ||
                   (SELECT jsonb_agg(extras.int -> ((h2 + i) % 6)) FROM generate_series(0, h3 % 3) i))::text,
               'Instant Refunds', product),
               'Example Shop', company),
               'today launched', 'today launched, under the code name ' || initcap(codename) || ','),
               'Denver', city),
               'SEATTLE', upper((ARRAY['Seattle','New York','San Francisco','London','Toronto'])[1 + h3 % 5])),
               'Dana Ortiz', leader),
               'Priya Shah', customer),
               '4,200', to_char(1000 + h1 % 9000, 'FM9,999')),
               '38%', (10 + h2 % 60) || '%'),
               '9,000', to_char(500 + h3 % 9000, 'FM9,999')),
               '31 million', (2 + h1 % 90) || ' million'),
               '2031-03-03', to_char(date '2027-01-04' + (h2 % 1500), 'YYYY-MM-DD')
           )::jsonb AS content
      FROM named, extras
), doc AS (
SELECT n,
       md5('bench-' || n)::uuid AS id,
       md5('bench-user-' || h1 % 50)::uuid AS owner_id,
       md5('bench-user-' || (h1 + 1) % 50)::uuid AS reviewer_id,
       CASE WHEN n % 20 < 3 THEN 'in_review' WHEN n % 20 < 6 THEN 'approved'
            WHEN n % 20 = 6 THEN 'rejected' WHEN n % 20 = 7 THEN 'archived'
            ELSE 'draft' END AS status,
       1 + h3 % 3 AS version,
       company || ' ' || product AS title,
       team,
       ARRAY(SELECT DISTINCT unnest(ARRAY[
           (ARRAY['prime','mobile','web','international','accessibility','trust',
                  'growth','cost','latency','ml','privacy','launch-2027'])[1 + h1 % 12],
           (ARRAY['prime','mobile','web','international','accessibility','trust',
                  'growth','cost','latency','ml','privacy','launch-2027'])[1 + h2 % 12]])) AS tags,
       content,
       jsonb_set(quality, '{score}', to_jsonb(40 + h2 % 60)) AS quality,
       -- Spread over the last 400 days; a version a day; status changes after.
       now() - interval '400 days' + (n - first_n) * interval '1 second'
           + (h1 % 345600) * interval '100 seconds' AS created_at
  FROM content
)
SELECT n, id, owner_id, reviewer_id, status, version, title, team, tags,
       content, quality,
       CASE WHEN status IN ('approved', 'rejected') THEN jsonb_build_object(
           'outcome', status,
           'rationale', 'Decided in the review meeting: ' ||
               CASE status WHEN 'approved' THEN 'the customer problem is real and sized.'
                           ELSE 'the risks outweigh the benefit for now.' END,
           'version', version,
           'at', rfc3339(created_at + (version - 1) * interval '1 day' + interval '2 hours'),
           'decided_by', jsonb_build_object('id', reviewer_id,
                                            'name', (SELECT u.name FROM users u WHERE u.id = reviewer_id)))
       END,
       created_at,
       created_at + (version - 1) * interval '1 day' +
       CASE status WHEN 'draft' THEN interval '0'
                   WHEN 'in_review' THEN interval '1 hour'
                   ELSE interval '2 hours' END
  FROM doc
$gen$;
