import {
  ContractProblem,
  DatasetColumn,
  datasetAssetId,
  mostSensitive,
} from '@lakeport/plugin-lakehouse-common';
import {
  EngineColumn,
  EngineTableDescription,
} from '@lakeport/plugin-lakehouse-node';
import { DataContract } from '../contracts/odcs';
import { DatasetRecord } from '../assets/DatasetStore';

function humanize(name: string): string {
  const last = name.split('.').pop() ?? name;
  const words = last.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function toColumn(c: EngineColumn): DatasetColumn {
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    children: c.children?.map(toColumn),
  };
}

/**
 * A dataset as the engine sees it, described by its contract: column
 * descriptions and classifications from the contract, and drift where the
 * two disagree (only when there is a contract to disagree with).
 */
export function buildDatasetRecord(
  table: EngineTableDescription,
  contract: DataContract | undefined,
  contractProblems: ContractProblem[],
): DatasetRecord {
  const [domainPart, layerPart] = table.name.split('.');
  const described = new Map(contract?.properties.map(p => [p.name, p]));
  const engineNames = new Set(table.columns.map(c => c.name));
  const columns: DatasetColumn[] = table.columns.map(c => {
    const property = described.get(c.name);
    return {
      ...toColumn(c),
      description: property?.description,
      classification: property?.classification,
      drift: contract && !property ? 'missing_in_contract' : undefined,
    };
  });
  for (const property of contract?.properties ?? []) {
    if (!engineNames.has(property.name)) {
      columns.push({
        name: property.name,
        type: property.logicalType ?? 'unknown',
        nullable: !property.required,
        description: property.description,
        classification: property.classification,
        drift: 'missing_in_engine',
      });
    }
  }
  const inEngine = columns.filter(c => c.drift !== 'missing_in_engine');
  return {
    id: datasetAssetId(table.namespace, table.name),
    namespace: table.namespace,
    name: table.name,
    title: contract?.title ?? humanize(table.name),
    description: contract?.purpose ?? contract?.objectDescription,
    domain: contract?.domain ?? domainPart,
    layer: layerPart,
    system: contract?.system,
    owner: contract?.owner,
    tags: contract?.tags ?? [],
    classification: mostSensitive(inEngine.map(c => c.classification)),
    rowCount: table.rowCount,
    sizeBytes: table.sizeBytes,
    fileCount: table.fileCount,
    partitionColumns: table.partitions?.columns ?? [],
    partitionCount: table.partitions?.count,
    latestPartition: table.partitions?.latest,
    lastModified: table.lastModified?.toISOString(),
    location: table.location,
    contract: contract && {
      file: contract.file,
      id: contract.id,
      version: contract.version,
      status: contract.status,
      purpose: contract.purpose,
      usage: contract.usage,
      limitations: contract.limitations,
    },
    contractProblems: [
      ...contractProblems,
      ...(contract?.quality.problems ?? []),
    ],
    freshnessSlaHours: contract?.freshness?.hours,
    freshnessElement: contract?.freshness?.element,
    columns,
  };
}
