import * as vocab from './vocab';

/** Inputs that fully determine the bytes of the sample lakehouse. */
export interface GenerationParams {
  seed: number;
  /** Last day of data, YYYY-MM-DD. Data covers the 92 days up to it. */
  asOf: string;
  /** Row-count multiplier; 1 gives the documented sizes. */
  scale: number;
}

/** One table of the sample lakehouse. */
export interface SampleTable {
  /** `<domain>.<layer>.<table>`, also its folder path with dots as slashes. */
  name: string;
  description: string;
  partitionBy?: string;
  /** SELECT producing the rows, run after the tables it reads. */
  select: string;
}

const list = (values: string[]) =>
  `[${values.map(v => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/** Rows at scale 1 of the tables generated from nothing. */
export const BASE_ROWS = {
  customers: 50_000,
  webEvents: 400_000,
  products: 2_000,
  orders: 350_000,
  transactions: 600_000,
};

export function rowCounts(scale: number) {
  const n = (base: number) => Math.max(50, Math.round(base * scale));
  return {
    customers: n(BASE_ROWS.customers),
    webEvents: n(BASE_ROWS.webEvents),
    products: n(BASE_ROWS.products),
    orders: n(BASE_ROWS.orders),
    transactions: n(BASE_ROWS.transactions),
  };
}

/** Days of web events missing at the end: the seeded stale partition. */
export const WEB_EVENTS_STALE_DAYS = 15;

/**
 * Macros every table uses. Randomness is a hash of (row, purpose, seed), so a
 * row's values do not depend on thread scheduling or on other tables.
 * The hash is hashed again: the low bits of a multi-argument hash barely
 * change between neighbouring rows.
 */
export function macros(p: GenerationParams): string[] {
  return [
    `CREATE MACRO ri(i, s, n) AS (hash(hash(i, s, ${p.seed})) % (n)::UBIGINT)::BIGINT`,
    `CREATE MACRO rf(i, s) AS (hash(hash(i, s, ${p.seed})) % 1000000)::DOUBLE / 1000000.0`,
    `CREATE MACRO pick(l, i, s) AS l[1 + ri(i, s, len(l))]`,
    `CREATE MACRO ip(i) AS concat_ws('.', 10 + ri(i, 'ip1', 200), ri(i, 'ip2', 256), ri(i, 'ip3', 256), 1 + ri(i, 'ip4', 254))`,
  ];
}

/** The tables in build order; later ones read earlier ones by full name. */
export function sampleTables(p: GenerationParams): SampleTable[] {
  const n = rowCounts(p.scale);
  const start = `(DATE '${p.asOf}' - 91)`;
  const asOf = `DATE '${p.asOf}'`;
  const days = 92;
  return [
    {
      name: 'customers.raw.crm_customers',
      description:
        'Daily CRM extract: one row per customer per extract, re-extracted customers appear twice.',
      select: `
        WITH base AS (
          SELECT i, 100000 + i AS customer_id,
                 pick(${list(vocab.FIRST_NAMES)}, i, 'fn') AS fn,
                 pick(${list(vocab.LAST_NAMES)}, i, 'ln') AS ln,
                 ${list(vocab.CITIES)}[1 + ri(i, 'city', ${
        vocab.CITIES.length
      })] AS c
          FROM range(${n.customers}) t(i)
        ), rows AS (
          SELECT customer_id, fn AS first_name, ln AS last_name,
            lower(strip_accents(fn)) || '.' || lower(regexp_replace(strip_accents(ln), '[^A-Za-z]', '', 'g'))
              || (customer_id % 97)::VARCHAR || '@' || pick(${list(
                vocab.MAIL_DOMAINS,
              )}, i, 'md') AS email,
            '+' || split_part(c, '|', 4) || ' ' || lpad(ri(i, 'ph', 1000000000)::VARCHAR, 9, '0') AS phone,
            (DATE '1950-01-01' + ri(i, 'dob', 18262)::INTEGER) AS date_of_birth,
            (1 + ri(i, 'hn', 220))::VARCHAR || ' ' || pick(${list(
              vocab.STREETS,
            )}, i, 'st') AS street_address,
            split_part(c, '|', 1) AS city,
            split_part(c, '|', 2) || lpad(ri(i, 'pc', 1000)::VARCHAR, 3, '0') AS postal_code,
            -- seeded defect: country_code is required, 1.5% arrive empty
            CASE WHEN rf(i, 'ccnull') < 0.015 THEN NULL ELSE split_part(c, '|', 3) END AS country_code,
            (TIMESTAMP '2019-01-01' + to_seconds(ri(i, 'su', (${start} - DATE '2019-01-01') * 86400))) AS signup_ts,
            rf(i, 'mkt') < 0.42 AS marketing_opt_in,
            rf(i, 'active') > 0.08 AS is_active,
            (${start} + ri(i, 'ing', ${days})::INTEGER)::TIMESTAMP + INTERVAL 2 HOUR AS _ingested_at,
            i
          FROM base
        )
        SELECT * EXCLUDE (i) FROM rows
        UNION ALL
        SELECT * EXCLUDE (i) REPLACE (_ingested_at + INTERVAL 1 DAY AS _ingested_at)
        FROM rows WHERE rf(i, 'reextract') < 0.01
        ORDER BY customer_id, _ingested_at`,
    },
    {
      name: 'customers.curated.customers',
      description: 'One row per customer, latest CRM extract wins.',
      select: `
        SELECT customer_id, first_name || ' ' || last_name AS full_name, email, phone,
               date_of_birth, street_address || ', ' || postal_code || ' ' || city AS address,
               city, postal_code, country_code,
               pick(${list(vocab.SEGMENTS)}, customer_id, 'seg') AS segment,
               signup_ts::DATE AS signup_date, is_active, marketing_opt_in,
               _ingested_at AS updated_at
        FROM customers.raw.crm_customers
        QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY _ingested_at DESC) = 1
        ORDER BY customer_id`,
    },
    {
      name: 'customers.raw.web_events',
      description:
        'Clickstream from the web shop and apps, one partition per day.',
      partitionBy: 'event_date',
      select: `
        SELECT 'ev-' || lpad(i::VARCHAR, 9, '0') AS event_id,
               'sess-' || lpad(ri(i // 6, 'sess', 1000000000)::VARCHAR, 9, '0') AS session_id,
               CASE WHEN rf(i // 6, 'anon') < 0.3 THEN NULL
                    ELSE 100000 + ri(i // 6, 'wc', ${
                      n.customers
                    }) END AS customer_id,
               pick(${list(vocab.EVENT_TYPES)}, i, 'et') AS event_type,
               pick(${list(vocab.PAGES)}, i, 'pg') AS page_path,
               pick(${list(vocab.DEVICES)}, i // 6, 'dev') AS device,
               ip(i // 6) AS ip_address,
               -- seeded defect: ingestion stopped ${WEB_EVENTS_STALE_DAYS} days before the as-of date
               (${start} + ri(i // 6, 'wd', ${
        days - WEB_EVENTS_STALE_DAYS
      })::INTEGER) AS event_date,
               event_date::TIMESTAMP + to_seconds(ri(i // 6, 'wt', 86000) + i % 6 * 20) AS event_ts
        FROM range(${n.webEvents}) t(i)
        ORDER BY event_date, event_ts, event_id`,
    },
    {
      name: 'commerce.raw.products',
      description: 'Product master from the PIM, as delivered.',
      select: `
        SELECT 'SKU-' || lpad((i + 1)::VARCHAR, 5, '0') AS sku,
               pick(${list(
                 vocab.PRODUCT_ADJECTIVES,
               )}, i, 'adj') || ' ' || pick(${list(
        vocab.PRODUCT_NOUNS,
      )}, i, 'noun') AS product_name,
               pick(${list(vocab.CATEGORIES)}, i, 'cat') AS category,
               pick(${list(vocab.BRANDS)}, i, 'brand') AS brand,
               round(4.99 + rf(i, 'price') * rf(i, 'price2') * 600, 2) AS list_price,
               'EUR' AS currency,
               (DATE '2018-01-01' + ri(i, 'launch', 2800)::INTEGER) AS launched_on,
               rf(i, 'disc') < 0.07 AS discontinued
        FROM range(${n.products}) t(i)
        ORDER BY sku`,
    },
    {
      name: 'commerce.curated.products',
      description: 'Sellable products with price bands.',
      select: `
        SELECT sku, product_name, category, brand, list_price, currency, launched_on,
               NOT discontinued AS is_active,
               CASE WHEN list_price < 25 THEN 'budget' WHEN list_price < 150 THEN 'mid' ELSE 'premium' END AS price_band
        FROM commerce.raw.products ORDER BY sku`,
    },
    {
      name: 'commerce.curated.order_items',
      description: 'Order lines with prices and discounts, one row per line.',
      select: `
        WITH lines AS (
          SELECT 5000000 + j AS order_id, line_no, j * 8 + line_no AS k
          FROM range(${n.orders}) o(j), range(1, 6) l(line_no)
          WHERE line_no <= 1 + ri(j, 'nitems', 5)
        )
        SELECT order_id, line_no, p.sku,
               1 + ri(k, 'qty', 3) AS quantity,
               p.list_price AS unit_price,
               CASE WHEN rf(k, 'disc') < 0.2 THEN round(p.list_price * 0.1, 2) ELSE 0 END AS discount,
               round((1 + ri(k, 'qty', 3)) * (p.list_price - CASE WHEN rf(k, 'disc') < 0.2 THEN round(p.list_price * 0.1, 2) ELSE 0 END), 2) AS line_amount
        FROM lines JOIN commerce.curated.products p ON p.sku = 'SKU-' || lpad((1 + ri(k, 'sku', ${n.products}))::VARCHAR, 5, '0')
        ORDER BY order_id, line_no`,
    },
    {
      name: 'commerce.raw.order_events',
      description:
        'Order lifecycle events from the shop backend (created, paid, shipped, delivered, cancelled), one partition per day.',
      partitionBy: 'order_date',
      select: `
        WITH orders AS (
          SELECT 5000000 + j AS order_id, j,
                 100000 + ri(j, 'oc', ${n.customers}) AS customer_id,
                 ${start}::TIMESTAMP + to_seconds(ri(j, 'ot', ${days} * 86400)) AS created_ts,
                 rf(j, 'cancel') < 0.06 AS cancelled,
                 CASE WHEN rf(j, 'stage') < 0.72 THEN 4 WHEN rf(j, 'stage') < 0.86 THEN 3
                      WHEN rf(j, 'stage') < 0.96 THEN 2 ELSE 1 END AS stage
          FROM range(${n.orders}) o(j)
        ), totals AS (
          SELECT order_id, sum(line_amount) AS amount FROM commerce.curated.order_items GROUP BY order_id
        ), c AS (
          SELECT customer_id, address FROM customers.curated.customers
        )
        SELECT 'oe-' || lpad((o.j * 4 + s.k)::VARCHAR, 10, '0') AS event_id, o.order_id, o.customer_id,
               CASE WHEN o.cancelled AND s.k = 2 THEN 'cancelled'
                    ELSE ['created', 'paid', 'shipped', 'delivered'][s.k] END AS event_type,
               t.amount, 'EUR' AS currency,
               least(o.created_ts + to_hours((s.k - 1) * (6 + ri(o.j, 'lag', 40))), DATE '${p.asOf}'::TIMESTAMP + INTERVAL 23 HOUR) AS event_ts,
               o.created_ts::DATE AS order_date,
               c.address AS shipping_address
        FROM orders o
        JOIN range(1, 5) s(k) ON s.k <= CASE WHEN o.cancelled THEN 2 ELSE o.stage END
        JOIN totals t USING (order_id)
        LEFT JOIN c USING (customer_id)
        ORDER BY order_date, event_ts, event_id`,
    },
    {
      name: 'commerce.curated.orders',
      description: 'One row per order with its current status and totals.',
      select: `
        WITH latest AS (
          SELECT order_id, customer_id, min(event_ts) AS order_ts, min(order_date) AS order_date,
                 arg_max(event_type, event_ts) AS status, max(amount) AS total_amount, any_value(currency) AS currency
          FROM commerce.raw.order_events GROUP BY order_id, customer_id
        ), items AS (
          SELECT order_id, count(*) AS item_count FROM commerce.curated.order_items GROUP BY order_id
        ), rows AS (
          SELECT l.order_id, l.customer_id, l.order_ts, l.order_date, l.status, l.total_amount, l.currency,
                 i.item_count, c.country_code AS shipping_country
          FROM latest l JOIN items i USING (order_id) LEFT JOIN customers.curated.customers c USING (customer_id)
        )
        SELECT * FROM rows
        UNION ALL
        -- seeded defect: a replayed batch duplicated some order keys with a stale status
        SELECT * REPLACE ('created' AS status) FROM rows WHERE rf(order_id, 'dup') < 0.0005
        ORDER BY order_id, status`,
    },
    {
      name: 'commerce.feature.customer_order_features',
      description:
        'Per-customer order features over the last 90 days, for churn and recommendation models.',
      select: `
        WITH o AS (
          SELECT DISTINCT ON (order_id) * FROM commerce.curated.orders ORDER BY order_id, order_ts
        ), fav AS (
          SELECT o.customer_id, mode(p.category ORDER BY p.category) AS favourite_category
          FROM o JOIN commerce.curated.order_items i USING (order_id) JOIN commerce.curated.products p USING (sku)
          GROUP BY o.customer_id
        )
        SELECT o.customer_id,
               count(*) AS orders_90d,
               round(sum(total_amount), 2) AS revenue_90d,
               round(avg(total_amount), 2) AS avg_order_value,
               (${asOf} - max(order_date))::INTEGER AS days_since_last_order,
               count(*) FILTER (WHERE status = 'cancelled') AS cancelled_orders_90d,
               any_value(f.favourite_category) AS favourite_category,
               ${asOf}::TIMESTAMP AS feature_ts
        FROM o JOIN fav f USING (customer_id)
        WHERE order_date > ${asOf} - 90
        GROUP BY o.customer_id
        ORDER BY o.customer_id`,
    },
    {
      name: 'customers.feature.customer_profile_features',
      description:
        'Per-customer profile and engagement features; the email is hashed, never stored in clear.',
      select: `
        WITH web AS (
          SELECT customer_id,
                 count(DISTINCT session_id) FILTER (WHERE event_date > ${asOf} - 30) AS sessions_30d,
                 count(*) FILTER (WHERE event_type = 'page_view' AND event_date > ${asOf} - 30) AS page_views_30d,
                 max(event_date) AS last_seen_date
          FROM customers.raw.web_events WHERE customer_id IS NOT NULL GROUP BY customer_id
        )
        SELECT c.customer_id, sha256(lower(c.email)) AS email_sha256,
               CASE WHEN date_diff('year', c.date_of_birth, ${asOf}) < 25 THEN '18-24'
                    WHEN date_diff('year', c.date_of_birth, ${asOf}) < 35 THEN '25-34'
                    WHEN date_diff('year', c.date_of_birth, ${asOf}) < 50 THEN '35-49'
                    ELSE '50+' END AS age_band,
               c.segment, c.country_code,
               (${asOf} - c.signup_date)::INTEGER AS tenure_days,
               coalesce(w.sessions_30d, 0) AS sessions_30d,
               coalesce(w.page_views_30d, 0) AS page_views_30d,
               w.last_seen_date,
               ${asOf}::TIMESTAMP AS feature_ts
        FROM customers.curated.customers c LEFT JOIN web w USING (customer_id)
        ORDER BY c.customer_id`,
    },
    {
      name: 'risk.raw.card_transactions',
      description:
        'Card authorisations from the payment gateway, one partition per day.',
      partitionBy: 'txn_date',
      select: `
        SELECT 'tx-' || lpad(i::VARCHAR, 10, '0') AS txn_id,
               'card-' || lpad(ri(ri(i, 'tc', ${
                 n.customers
               }), 'card', 1000000)::VARCHAR, 7, '0') AS card_id,
               100000 + ri(i, 'tc', ${n.customers}) AS customer_id,
               '**** **** **** ' || lpad(ri(ri(i, 'tc', ${
                 n.customers
               }), 'last4', 10000)::VARCHAR, 4, '0') AS card_number_masked,
               'm-' || lpad(ri(i, 'merchant', 5000)::VARCHAR, 5, '0') AS merchant_id,
               pick(${list(
                 vocab.MERCHANT_CATEGORIES,
               )}, ri(i, 'merchant', 5000), 'mcat') AS merchant_category,
               round(1.5 + pow(rf(i, 'amt'), 3) * 1800, 2) AS amount,
               pick(${list(vocab.CURRENCIES)}, i, 'cur') AS currency,
               ip(i) AS ip_address,
               CASE WHEN rf(i, 'declined') < 0.04 THEN 'declined' ELSE 'approved' END AS status,
               (${start} + ri(i, 'td', ${days})::INTEGER) AS txn_date,
               txn_date::TIMESTAMP + to_seconds(ri(i, 'tt', 86400)) AS txn_ts
        FROM range(${n.transactions}) t(i)
        ORDER BY txn_date, txn_ts, txn_id`,
    },
    {
      name: 'risk.raw.chargebacks',
      description: 'Chargebacks reported by the card schemes.',
      select: `
        SELECT 'cb-' || lpad(row_number() OVER (ORDER BY txn_ts, txn_id)::VARCHAR, 7, '0') AS chargeback_id,
               txn_id,
               pick(${list(
                 vocab.CHARGEBACK_REASONS,
               )}, hash(txn_id), 'reason') AS reason_code,
               amount, currency,
               txn_ts + to_days(3 + ri(hash(txn_id), 'cbdelay', 40)) AS opened_at,
               CASE WHEN rf(hash(txn_id), 'cbstatus') < 0.6 THEN 'won' WHEN rf(hash(txn_id), 'cbstatus') < 0.85 THEN 'lost' ELSE 'open' END AS status
        FROM risk.raw.card_transactions
        WHERE status = 'approved' AND rf(hash(txn_id), 'cb') < 0.01
        ORDER BY txn_ts, txn_id`,
    },
    {
      name: 'risk.curated.transactions',
      description:
        'Approved card transactions in EUR with a model risk score and the fraud label.',
      partitionBy: 'txn_date',
      select: `
        SELECT t.txn_id, t.customer_id, t.merchant_id, t.merchant_category,
               -- seeded defect: a currency-conversion bug wrote some negative amounts
               round(t.amount * CASE t.currency WHEN 'GBP' THEN 1.17 WHEN 'USD' THEN 0.92 ELSE 1 END
                     * CASE WHEN rf(hash(t.txn_id), 'neg') < 0.0008 THEN -1 ELSE 1 END, 2) AS amount_eur,
               -- seeded defect: risk_score must lie in [0, 1]
               round(CASE WHEN rf(hash(t.txn_id), 'rsbad') < 0.0005 THEN 1 + rf(hash(t.txn_id), 'rs')
                          ELSE pow(rf(hash(t.txn_id), 'rs'), 4) END, 4) AS risk_score,
               coalesce(cb.reason_code = 'fraud', false) AS is_fraud,
               t.txn_ts, t.txn_date
        FROM risk.raw.card_transactions t LEFT JOIN risk.raw.chargebacks cb USING (txn_id)
        WHERE t.status = 'approved'
        ORDER BY t.txn_date, t.txn_ts, t.txn_id`,
    },
    {
      name: 'risk.feature.fraud_features',
      description: 'Per-customer fraud features for the fraud-detection model.',
      select: `
        SELECT customer_id,
               count(*) FILTER (WHERE txn_date > ${asOf} - 7) AS txn_count_7d,
               round(coalesce(sum(amount_eur) FILTER (WHERE txn_date > ${asOf} - 7), 0), 2) AS txn_amount_eur_7d,
               count(DISTINCT merchant_id) FILTER (WHERE txn_date > ${asOf} - 30) AS distinct_merchants_30d,
               round(avg(risk_score) FILTER (WHERE txn_date > ${asOf} - 30), 4) AS avg_risk_score_30d,
               round(avg(is_fraud::INTEGER), 4) AS fraud_rate_90d,
               ${asOf}::TIMESTAMP AS feature_ts
        FROM risk.curated.transactions
        GROUP BY customer_id
        ORDER BY customer_id`,
    },
    {
      name: 'risk.feature.merchant_category_features',
      description:
        'Fraud base rates per merchant category over the last 30 days.',
      select: `
        SELECT merchant_category,
               count(*) FILTER (WHERE txn_date > ${asOf} - 30) AS category_txn_count_30d,
               round(coalesce(avg(is_fraud::INTEGER) FILTER (WHERE txn_date > ${asOf} - 30), 0), 4) AS category_fraud_rate_30d,
               ${asOf}::TIMESTAMP AS feature_ts
        FROM risk.curated.transactions
        GROUP BY merchant_category
        ORDER BY merchant_category`,
    },
  ];
}
