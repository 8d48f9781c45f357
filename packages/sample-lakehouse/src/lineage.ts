import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * OpenLineage events describing how the sample lakehouse is built (the SQL
 * in tables.ts): one job per derived table, with column lineage. Loaded on
 * first start so the Lineage tab is alive at once. The profile features job
 * is written like a Spark job would report it (output as a file path), so it
 * also shows matching by storage location, and it hashes the PII email.
 */

type Subtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';

interface ColumnSource {
  /** `<input table>.<column>`, the table as in `inputs`. */
  from: string[];
  subtype?: Subtype;
  description?: string;
  masking?: boolean;
  /** Filter, join or grouping key (INDIRECT). */
  indirect?: boolean;
}

interface SampleJob {
  name: string;
  description: string;
  inputs: string[];
  output: string;
  /** Output column → where it comes from. */
  columns: Record<string, ColumnSource>;
  /** Report the output as its folder path (namespace `file`). */
  outputAsPath?: boolean;
}

const id = (table: string, ...cols: string[]) =>
  Object.fromEntries(
    cols.map(c => [c, { from: [`${table}.${c}`] } as ColumnSource]),
  );
const t = (description: string, ...from: string[]): ColumnSource => ({
  from,
  subtype: 'TRANSFORMATION',
  description,
});
const agg = (description: string, ...from: string[]): ColumnSource => ({
  from,
  subtype: 'AGGREGATION',
  description,
});

const CUSTOMERS = 'customers.curated.customers';
const CRM = 'customers.raw.crm_customers';
const WEB = 'customers.raw.web_events';
const RAW_PRODUCTS = 'commerce.raw.products';
const PRODUCTS = 'commerce.curated.products';
const ITEMS = 'commerce.curated.order_items';
const ORDER_EVENTS = 'commerce.raw.order_events';
const ORDERS = 'commerce.curated.orders';
const CARD_TXN = 'risk.raw.card_transactions';
const CHARGEBACKS = 'risk.raw.chargebacks';
const TXN = 'risk.curated.transactions';

export const SAMPLE_JOBS: SampleJob[] = [
  {
    name: 'customers.curate_customers',
    description:
      'Deduplicates the CRM extract: the latest extract of each customer wins.',
    inputs: [CRM],
    output: CUSTOMERS,
    columns: {
      ...id(
        CRM,
        'customer_id',
        'email',
        'phone',
        'date_of_birth',
        'city',
        'postal_code',
        'country_code',
        'is_active',
        'marketing_opt_in',
      ),
      full_name: t(
        "first_name || ' ' || last_name",
        `${CRM}.first_name`,
        `${CRM}.last_name`,
      ),
      address: t(
        'street, postal code and city joined',
        `${CRM}.street_address`,
        `${CRM}.postal_code`,
        `${CRM}.city`,
      ),
      segment: t('segment assigned from the customer id', `${CRM}.customer_id`),
      signup_date: t('signup_ts::DATE', `${CRM}.signup_ts`),
      updated_at: { from: [`${CRM}._ingested_at`] },
    },
  },
  {
    name: 'customers.build_customer_profile_features',
    description:
      'Spark job: profile and engagement features per customer; the email is hashed.',
    inputs: [CUSTOMERS, WEB],
    output: 'customers.feature.customer_profile_features',
    outputAsPath: true,
    columns: {
      ...id(CUSTOMERS, 'customer_id', 'segment', 'country_code'),
      email_sha256: {
        from: [`${CUSTOMERS}.email`],
        subtype: 'TRANSFORMATION',
        description: 'sha256(lower(email))',
        masking: true,
      },
      age_band: t(
        'date_of_birth bucketed into age bands',
        `${CUSTOMERS}.date_of_birth`,
      ),
      tenure_days: t('days since signup_date', `${CUSTOMERS}.signup_date`),
      sessions_30d: agg(
        'count(DISTINCT session_id), last 30 days',
        `${WEB}.session_id`,
      ),
      page_views_30d: agg(
        'count of page_view events, last 30 days',
        `${WEB}.event_type`,
      ),
      last_seen_date: agg('max(event_date)', `${WEB}.event_date`),
    },
  },
  {
    name: 'commerce.curate_products',
    description: 'Sellable products with price bands.',
    inputs: [RAW_PRODUCTS],
    output: PRODUCTS,
    columns: {
      ...id(
        RAW_PRODUCTS,
        'sku',
        'product_name',
        'category',
        'brand',
        'list_price',
        'currency',
        'launched_on',
      ),
      is_active: t('NOT discontinued', `${RAW_PRODUCTS}.discontinued`),
      price_band: t(
        'list_price banded into budget, mid, premium',
        `${RAW_PRODUCTS}.list_price`,
      ),
    },
  },
  {
    name: 'commerce.build_order_items',
    description: 'Order lines priced from the product master.',
    inputs: [PRODUCTS],
    output: ITEMS,
    columns: {
      ...id(PRODUCTS, 'sku'),
      unit_price: { from: [`${PRODUCTS}.list_price`] },
      discount: t(
        '10 % of list_price on discounted lines',
        `${PRODUCTS}.list_price`,
      ),
      line_amount: t(
        'quantity × (list_price − discount)',
        `${PRODUCTS}.list_price`,
      ),
    },
  },
  {
    name: 'commerce.ingest_order_events',
    description: 'Order lifecycle events from the shop backend.',
    inputs: [ITEMS, CUSTOMERS],
    output: ORDER_EVENTS,
    columns: {
      ...id(ITEMS, 'order_id'),
      amount: agg('sum(line_amount) per order', `${ITEMS}.line_amount`),
      shipping_address: { from: [`${CUSTOMERS}.address`] },
      customer_id: {
        from: [`${CUSTOMERS}.customer_id`],
        indirect: true,
        description: 'join key',
      },
    },
  },
  {
    name: 'commerce.curate_orders',
    description: 'One row per order with its current status and totals.',
    inputs: [ORDER_EVENTS, ITEMS, CUSTOMERS],
    output: ORDERS,
    columns: {
      ...id(ORDER_EVENTS, 'order_id', 'customer_id', 'currency'),
      order_ts: agg('min(event_ts)', `${ORDER_EVENTS}.event_ts`),
      order_date: agg('min(order_date)', `${ORDER_EVENTS}.order_date`),
      status: agg('latest event_type', `${ORDER_EVENTS}.event_type`),
      total_amount: agg('max(amount)', `${ORDER_EVENTS}.amount`),
      item_count: agg('count(*) of order lines', `${ITEMS}.line_no`),
      shipping_country: { from: [`${CUSTOMERS}.country_code`] },
    },
  },
  {
    name: 'commerce.build_customer_order_features',
    description: 'Per-customer order features over the last 90 days.',
    inputs: [ORDERS, ITEMS, PRODUCTS],
    output: 'commerce.feature.customer_order_features',
    columns: {
      ...id(ORDERS, 'customer_id'),
      orders_90d: agg('count(*)', `${ORDERS}.order_id`),
      revenue_90d: agg('sum(total_amount)', `${ORDERS}.total_amount`),
      avg_order_value: agg('avg(total_amount)', `${ORDERS}.total_amount`),
      days_since_last_order: agg(
        'as-of date − max(order_date)',
        `${ORDERS}.order_date`,
      ),
      cancelled_orders_90d: agg(
        'count of cancelled orders',
        `${ORDERS}.status`,
      ),
      favourite_category: agg('mode(category)', `${PRODUCTS}.category`),
    },
  },
  {
    name: 'risk.detect_chargebacks',
    description:
      'Chargebacks reported by the card schemes, matched to transactions.',
    inputs: [CARD_TXN],
    output: CHARGEBACKS,
    columns: {
      ...id(CARD_TXN, 'txn_id', 'amount', 'currency'),
      opened_at: t('txn_ts + reporting delay', `${CARD_TXN}.txn_ts`),
    },
  },
  {
    name: 'risk.curate_transactions',
    description:
      'Approved card transactions in EUR with a risk score and the fraud label.',
    inputs: [CARD_TXN, CHARGEBACKS],
    output: TXN,
    columns: {
      ...id(
        CARD_TXN,
        'txn_id',
        'customer_id',
        'merchant_id',
        'merchant_category',
        'txn_ts',
        'txn_date',
      ),
      amount_eur: t(
        'amount converted to EUR',
        `${CARD_TXN}.amount`,
        `${CARD_TXN}.currency`,
      ),
      risk_score: t('model score of the transaction', `${CARD_TXN}.txn_id`),
      is_fraud: t(
        "chargeback reason_code = 'fraud'",
        `${CHARGEBACKS}.reason_code`,
      ),
    },
  },
  {
    name: 'risk.build_fraud_features',
    description: 'Per-customer fraud features for the fraud-detection model.',
    inputs: [TXN],
    output: 'risk.feature.fraud_features',
    columns: {
      ...id(TXN, 'customer_id'),
      txn_count_7d: agg('count(*), last 7 days', `${TXN}.txn_id`),
      txn_amount_eur_7d: agg(
        'sum(amount_eur), last 7 days',
        `${TXN}.amount_eur`,
      ),
      distinct_merchants_30d: agg(
        'count(DISTINCT merchant_id), last 30 days',
        `${TXN}.merchant_id`,
      ),
      avg_risk_score_30d: agg(
        'avg(risk_score), last 30 days',
        `${TXN}.risk_score`,
      ),
      fraud_rate_90d: agg('avg(is_fraud)', `${TXN}.is_fraud`),
    },
  },
  {
    name: 'risk.build_merchant_category_features',
    description: 'Fraud base rates per merchant category.',
    inputs: [TXN],
    output: 'risk.feature.merchant_category_features',
    columns: {
      ...id(TXN, 'merchant_category'),
      category_txn_count_30d: agg('count(*), last 30 days', `${TXN}.txn_id`),
      category_fraud_rate_30d: agg(
        'avg(is_fraud), last 30 days',
        `${TXN}.is_fraud`,
      ),
    },
  },
];

const NAMESPACE = 'lakeport';
const PRODUCER = 'https://lakeport.dev/sample-lakehouse';
const RUN_EVENT_SCHEMA =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facet = (name: string) => ({
  _producer: PRODUCER,
  _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json`,
});

/** A stable UUID from a name, so the same sample gives the same events. */
function uuidFrom(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

function splitColumn(ref: string) {
  const dot = ref.lastIndexOf('.');
  return { table: ref.slice(0, dot), column: ref.slice(dot + 1) };
}

/**
 * START and COMPLETE RunEvents of each sample job, as of the lakehouse's
 * as-of date (runs at 02:00 and 02:0x UTC that day).
 */
export function sampleLineageEvents(options: { root: string; asOf: string }) {
  const events: object[] = [];
  SAMPLE_JOBS.forEach((job, index) => {
    const runId = uuidFrom(`${job.name}@${options.asOf}`);
    const start = new Date(`${options.asOf}T02:00:00Z`);
    start.setUTCMinutes(index * 3);
    const end = new Date(start.getTime() + 90_000);
    const output = job.outputAsPath
      ? {
          namespace: 'file',
          name: path.join(options.root, ...job.output.split('.')),
        }
      : { namespace: NAMESPACE, name: job.output };
    const fields = Object.fromEntries(
      Object.entries(job.columns).map(([column, source]) => [
        column,
        {
          inputFields: source.from.map(ref => {
            const { table, column: field } = splitColumn(ref);
            return {
              namespace: NAMESPACE,
              name: table,
              field,
              transformations: [
                {
                  type: source.indirect ? 'INDIRECT' : 'DIRECT',
                  subtype: source.indirect
                    ? 'JOIN'
                    : source.subtype ?? 'IDENTITY',
                  ...(source.description
                    ? { description: source.description }
                    : {}),
                  ...(source.masking ? { masking: true } : {}),
                },
              ],
            };
          }),
        },
      ]),
    );
    const base = {
      producer: PRODUCER,
      schemaURL: RUN_EVENT_SCHEMA,
      job: {
        namespace: NAMESPACE,
        name: job.name,
        facets: {
          documentation: {
            ...facet('DocumentationJobFacet'),
            description: job.description,
          },
        },
      },
      inputs: job.inputs.map(name => ({ namespace: NAMESPACE, name })),
    };
    events.push({
      ...base,
      eventType: 'START',
      eventTime: start.toISOString(),
      run: { runId },
      outputs: [output],
    });
    events.push({
      ...base,
      eventType: 'COMPLETE',
      eventTime: end.toISOString(),
      run: { runId },
      outputs: [
        {
          ...output,
          facets: {
            columnLineage: { ...facet('ColumnLineageDatasetFacet'), fields },
            ...(job.outputAsPath
              ? {
                  symlinks: {
                    ...facet('SymlinksDatasetFacet'),
                    identifiers: [
                      {
                        namespace: 'spark_catalog',
                        name: job.output,
                        type: 'TABLE',
                      },
                    ],
                  },
                }
              : {}),
          },
        },
      ],
    });
  });
  return events;
}

export const SAMPLE_LINEAGE_FILE = '_lineage/sample-events.json';
