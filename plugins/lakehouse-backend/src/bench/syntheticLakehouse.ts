import {
  CLASSIFICATIONS,
  datasetAssetId,
} from '@lakeport/plugin-lakehouse-common';
import {
  EngineTableDescription,
  EngineTableRef,
  LakehouseEngine,
} from '@lakeport/plugin-lakehouse-node';
import { DatasetRecord } from '../assets/DatasetStore';

const WORDS = (
  'account address age amount balance basket bank bill birth brand campaign card cart category channel ' +
  'churn city claim click code consent contract cost country coupon credit currency customer date day ' +
  'debit delivery device discount domain email event fee flag fraud gender hash id income invoice ip ' +
  'item journey label language last latitude limit line loan longitude loyalty margin merchant method ' +
  'month name number offer order page partner payment phone plan points postal price product profile ' +
  'quantity rate reason refund region return revenue risk score segment session shipment sku source ' +
  'status store street subscription supplier tax tenure ticket time total transaction type unit user ' +
  'value vendor visit warehouse weight year zip'
).split(' ');

/** Deterministic pseudo-random integer in [0, n). */
const pick = (i: number, salt: number, n: number) =>
  Math.abs(Math.imul(i + 1, 2654435761) ^ Math.imul(salt + 7, 40503)) % n;

export const DOMAINS = Array.from({ length: 12 }, (_, i) => `domain${i}`);
export const LAYERS = ['raw', 'curated', 'feature'];

function columns(i: number) {
  const names = new Set<string>();
  for (let k = 0; names.size < 20; k++) {
    names.add(
      `${WORDS[pick(i, k, WORDS.length)]}_${
        WORDS[pick(i, k + 100, WORDS.length)]
      }`,
    );
  }
  return [...names].map((name, k) => ({
    name,
    type: ['BIGINT', 'VARCHAR', 'DOUBLE', 'DATE', 'TIMESTAMP'][
      pick(i, k + 200, 5)
    ],
    nullable: true,
    description: `The ${name.replace('_', ' ')} of the record.`,
    classification: CLASSIFICATIONS[pick(i, k + 300, 4)],
  }));
}

/** The i-th synthetic dataset as sync would write it. */
export function syntheticRecord(i: number): DatasetRecord {
  const domain = DOMAINS[pick(i, 1, DOMAINS.length)];
  const layer = LAYERS[pick(i, 2, LAYERS.length)];
  const name = `${domain}.${layer}.table_${i}`;
  const cols = columns(i);
  return {
    id: datasetAssetId('bench', name),
    namespace: 'bench',
    name,
    title: `Table ${i}`,
    description: `Synthetic ${
      WORDS[pick(i, 3, WORDS.length)]
    } data of ${domain}.`,
    domain,
    layer,
    owner: `group:default/team-${pick(i, 4, 30)}`,
    tags: [0, 1, 2].map(k => `tag-${pick(i, 10 + k, 40)}`),
    classification: cols.some(c => c.classification === 'pii')
      ? 'pii'
      : 'internal',
    rowCount: pick(i, 5, 10_000_000),
    sizeBytes: pick(i, 6, 1_000_000_000),
    fileCount: 1 + pick(i, 7, 50),
    partitionColumns: [],
    lastModified: new Date(
      Date.UTC(2026, 10, 1) + pick(i, 8, 30) * 86_400_000,
    ).toISOString(),
    contractProblems: [],
    columns: cols,
  };
}

/** An engine with `count` synthetic tables, for timing a sync without I/O. */
export function syntheticEngine(count: number): LakehouseEngine {
  const tables: EngineTableRef[] = Array.from({ length: count }, (_, i) => ({
    namespace: 'bench-sync',
    name: syntheticRecord(i).name,
  }));
  return {
    namespace: 'bench-sync',
    listNamespaces: async () => DOMAINS,
    listTables: async () => tables,
    describeTable: async (name: string): Promise<EngineTableDescription> => {
      const i = Number(name.split('_').pop());
      const r = syntheticRecord(i);
      return {
        namespace: 'bench-sync',
        name,
        columns: r.columns.map(({ name: n, type, nullable }) => ({
          name: n,
          type,
          nullable,
        })),
        rowCount: r.rowCount,
        sizeBytes: r.sizeBytes,
        fileCount: r.fileCount,
        lastModified: new Date(r.lastModified!),
      };
    },
    sampleRows: async () => ({ columns: [], rows: [], truncated: false }),
    query: async () => ({ columns: [], rows: [], truncated: false }),
    quoteTable: (n: string) => n,
  };
}
