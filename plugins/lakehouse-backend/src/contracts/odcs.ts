import {
  Classification,
  CLASSIFICATIONS,
  ContractProblem,
  isClassification,
} from '@lakeport/plugin-lakehouse-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import {
  ContractQuality,
  parseContractQuality,
} from '../quality/checkDefinitions';
import { isObject } from '../isObject';

/** A column of a contract (ODCS `schema[].properties[]`). */
export interface ContractProperty {
  name: string;
  description?: string;
  classification?: Classification;
  logicalType?: string;
  required?: boolean;
}

/** What Lakeport reads from an ODCS v3 data contract. */
export interface DataContract {
  /** Path relative to the contracts folder. */
  file: string;
  id: string;
  version: string;
  status: string;
  domain?: string;
  purpose?: string;
  usage?: string;
  limitations?: string;
  tags: string[];
  /** Owner group ref (customProperties `owner`). */
  owner?: string;
  /** Catalog system (customProperties `system`). */
  system?: string;
  /** The table this contract is about, `<domain>.<layer>.<table>`; or the topic, for streams. */
  physicalName: string;
  /** `schema[0].physicalType: topic`: the contract of a stream (its messages' JSON fields). */
  stream?: boolean;
  title?: string;
  objectDescription?: string;
  properties: ContractProperty[];
  /** Freshness SLA (slaProperties `latency`), in hours, measured on `element`. */
  freshness?: { hours: number; element?: string };
  /** Quality checks; a broken rule is reported here and never voids the contract. */
  quality: ContractQuality;
}

export interface LoadedContracts {
  /** Valid contracts of tables by physical name. */
  byTable: Map<string, DataContract>;
  /** Valid contracts of streams (`physicalType: topic`) by topic name. */
  byTopic: Map<string, DataContract>;
  /** Problems of contracts that were not applied; `table` when it is known. */
  problems: Array<ContractProblem & { table?: string }>;
}

const UNIT_HOURS: Record<string, number> = {
  m: 1 / 60,
  min: 1 / 60,
  minute: 1 / 60,
  minutes: 1 / 60,
  h: 1,
  hour: 1,
  hours: 1,
  d: 24,
  day: 24,
  days: 24,
  w: 168,
  week: 168,
  weeks: 168,
};

class Problems {
  readonly list: ContractProblem[] = [];
  constructor(private readonly file: string) {}
  add(field: string, message: string) {
    this.list.push({ file: this.file, field, message });
  }
}

function optionalString(
  doc: Record<string, any>,
  key: string,
  field: string,
  p: Problems,
) {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    p.add(field, `must be a string, got ${typeof value}`);
    return undefined;
  }
  return value;
}

function requiredString(
  doc: Record<string, any>,
  key: string,
  field: string,
  p: Problems,
) {
  const value = optionalString(doc, key, field, p);
  if (value === undefined || value.trim() === '') {
    if (doc[key] === undefined || doc[key] === null || doc[key] === '')
      p.add(field, 'is required');
    return undefined;
  }
  return value;
}

function stringList(value: unknown, field: string, p: Problems): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    p.add(field, 'must be a list of strings');
    return [];
  }
  return value;
}

function groupRef(value: string): string | undefined {
  const match = /^(?:group:)?(?:([a-z0-9-_.]+)\/)?([a-z0-9-_.]+)$/i.exec(
    value.trim(),
  );
  return match
    ? `group:${match[1] ?? 'default'}/${match[2]}`.toLowerCase()
    : undefined;
}

/** Validates one parsed ODCS document; returns the contract or the problems. */
export function parseContract(
  file: string,
  doc: unknown,
): { contract?: DataContract; problems: ContractProblem[]; table?: string } {
  const p = new Problems(file);
  if (!isObject(doc)) {
    p.add('(document)', 'must be a YAML mapping (an ODCS data contract)');
    return { problems: p.list };
  }
  const apiVersion = requiredString(doc, 'apiVersion', 'apiVersion', p);
  if (apiVersion && !/^v3\.\d+\.\d+$/.test(apiVersion)) {
    p.add(
      'apiVersion',
      `must be an ODCS v3 version such as v3.1.0, got "${apiVersion}"`,
    );
  }
  if (doc.kind !== 'DataContract')
    p.add('kind', `must be DataContract, got "${doc.kind}"`);
  const id = requiredString(doc, 'id', 'id', p);
  const version = requiredString(doc, 'version', 'version', p);
  const status = requiredString(doc, 'status', 'status', p);
  const domain = optionalString(doc, 'domain', 'domain', p);
  const tags = stringList(doc.tags, 'tags', p);

  let purpose: string | undefined;
  let usage: string | undefined;
  let limitations: string | undefined;
  if (isObject(doc.description)) {
    purpose = optionalString(
      doc.description,
      'purpose',
      'description.purpose',
      p,
    );
    usage = optionalString(doc.description, 'usage', 'description.usage', p);
    limitations = optionalString(
      doc.description,
      'limitations',
      'description.limitations',
      p,
    );
  } else if (doc.description !== undefined) {
    p.add('description', 'must be a mapping with purpose, usage, limitations');
  }

  let owner: string | undefined;
  let system: string | undefined;
  if (doc.customProperties !== undefined) {
    if (!Array.isArray(doc.customProperties)) {
      p.add('customProperties', 'must be a list of { property, value }');
    } else {
      doc.customProperties.forEach((cp: any, i: number) => {
        const field = `customProperties[${i}]`;
        if (!isObject(cp) || typeof cp.property !== 'string') {
          p.add(field, 'must have a string property');
        } else if (cp.property === 'owner') {
          owner = typeof cp.value === 'string' ? groupRef(cp.value) : undefined;
          if (!owner)
            p.add(
              `${field}.value`,
              `owner must be a group ref such as group:default/commerce-data, got "${cp.value}"`,
            );
        } else if (cp.property === 'system') {
          if (typeof cp.value !== 'string')
            p.add(`${field}.value`, 'system must be a string');
          else system = cp.value;
        }
      });
    }
  }

  let table: string | undefined;
  let stream = false;
  let title: string | undefined;
  let objectDescription: string | undefined;
  const properties: ContractProperty[] = [];
  let freshness: DataContract['freshness'];
  let slaField = 'slaProperties';
  if (!Array.isArray(doc.schema) || doc.schema.length === 0) {
    p.add('schema', 'must list the table the contract is about');
  } else {
    if (doc.schema.length > 1)
      p.add(
        'schema',
        'must describe exactly one table (one contract per dataset)',
      );
    const object = doc.schema[0];
    if (!isObject(object)) {
      p.add('schema[0]', 'must be a mapping');
    } else {
      table = requiredString(
        object,
        'physicalName',
        'schema[0].physicalName',
        p,
      );
      stream = object.physicalType === 'topic';
      if (stream) {
        if (table && !/^[A-Za-z0-9._-]{1,249}$/.test(table))
          p.add(
            'schema[0].physicalName',
            `must be a Kafka topic name (letters, digits, ".", "_", "-"), got "${table}"`,
          );
      } else if (table && !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(table)) {
        p.add(
          'schema[0].physicalName',
          `must be a dotted table name such as commerce.curated.orders, got "${table}"`,
        );
      }
      title = optionalString(
        object,
        'businessName',
        'schema[0].businessName',
        p,
      );
      objectDescription = optionalString(
        object,
        'description',
        'schema[0].description',
        p,
      );
      tags.push(...stringList(object.tags, 'schema[0].tags', p));
      if (!Array.isArray(object.properties)) {
        p.add('schema[0].properties', 'must list the columns');
      } else {
        const seen = new Set<string>();
        object.properties.forEach((prop: any, i: number) => {
          const field = `schema[0].properties[${i}]`;
          if (!isObject(prop)) {
            p.add(field, 'must be a mapping');
            return;
          }
          const name = requiredString(prop, 'name', `${field}.name`, p);
          if (!name) return;
          if (seen.has(name))
            p.add(`${field}.name`, `duplicate column "${name}"`);
          seen.add(name);
          const classification = prop.classification;
          if (
            classification !== undefined &&
            !isClassification(classification)
          ) {
            p.add(
              `${field}.classification`,
              `must be one of ${CLASSIFICATIONS.join(
                ', ',
              )}, got "${classification}"`,
            );
          }
          properties.push({
            name,
            description: optionalString(
              prop,
              'description',
              `${field}.description`,
              p,
            ),
            classification: isClassification(classification)
              ? classification
              : undefined,
            logicalType: optionalString(
              prop,
              'logicalType',
              `${field}.logicalType`,
              p,
            ),
            required: prop.required === true,
          });
        });
      }
    }
  }

  if (doc.slaProperties !== undefined) {
    if (!Array.isArray(doc.slaProperties)) {
      p.add('slaProperties', 'must be a list');
    } else {
      doc.slaProperties.forEach((sla: any, i: number) => {
        if (!isObject(sla) || sla.property !== 'latency') return;
        const field = `slaProperties[${i}]`;
        const hoursPerUnit = UNIT_HOURS[String(sla.unit ?? '').toLowerCase()];
        if (typeof sla.value !== 'number' || sla.value <= 0) {
          p.add(`${field}.value`, 'latency must be a positive number');
        } else if (!hoursPerUnit) {
          p.add(
            `${field}.unit`,
            `unknown unit "${sla.unit}": use m, h, d or w`,
          );
        } else {
          const element =
            typeof sla.element === 'string'
              ? sla.element.split('.').pop()
              : undefined;
          if (element && !properties.some(prop => prop.name === element)) {
            p.add(
              `${field}.element`,
              `column "${element}" is not in schema[0].properties`,
            );
          }
          freshness = { hours: sla.value * hoursPerUnit, element };
          slaField = field;
        }
      });
    }
  }

  if (p.list.length || !id || !version || !status || !table) {
    return { problems: p.list, table };
  }
  return {
    problems: [],
    table,
    contract: {
      file,
      id,
      version,
      status,
      domain,
      purpose,
      usage,
      limitations,
      tags: [...new Set(tags)],
      owner,
      system,
      physicalName: table,
      ...(stream && { stream }),
      title,
      objectDescription,
      properties,
      freshness,
      quality: parseContractQuality(
        file,
        doc.schema[0],
        properties.map(prop => prop.name),
        freshness && { ...freshness, field: slaField },
      ),
    },
  };
}

async function findContractFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {
    withFileTypes: true,
    recursive: true,
  });
  return entries
    .filter(e => e.isFile() && /\.odcs\.ya?ml$/.test(e.name))
    .map(e => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Reads every `*.odcs.yaml` under the folder. A broken contract is reported
 * (file and field) and skipped; it never stops the others.
 */
export async function loadContracts(
  dir: string,
  /**
   * Contracts carried by planned projects (`lakehouse:dataset:plan`): used
   * for tables the contracts directory has no contract for.
   */
  planned: Array<{ file: string; content: string }> = [],
): Promise<LoadedContracts> {
  const result: LoadedContracts = {
    byTable: new Map(),
    byTopic: new Map(),
    problems: [],
  };
  const mapOf = (c: DataContract) =>
    c.stream ? result.byTopic : result.byTable;
  let files: string[] = [];
  try {
    files = await findContractFiles(dir);
  } catch (e: any) {
    if (e.code !== 'ENOENT') throw e;
  }
  for (const file of files) {
    const relative = path.relative(dir, file);
    let doc: unknown;
    try {
      doc = YAML.parse(await fs.readFile(file, 'utf8'));
    } catch (e) {
      result.problems.push({
        file: relative,
        field: '(yaml)',
        message: (e as Error).message.split('\n')[0],
      });
      continue;
    }
    const { contract, problems, table } = parseContract(relative, doc);
    if (contract && mapOf(contract).has(contract.physicalName)) {
      result.problems.push({
        file: relative,
        field: 'schema[0].physicalName',
        message: `${contract.physicalName} already has a contract in ${
          mapOf(contract).get(contract.physicalName)!.file
        }`,
        table,
      });
    } else if (contract) {
      mapOf(contract).set(contract.physicalName, contract);
    } else {
      result.problems.push(...problems.map(problem => ({ ...problem, table })));
    }
  }
  for (const { file, content } of planned) {
    let doc: unknown;
    try {
      doc = YAML.parse(content);
    } catch {
      continue; // validated when planned
    }
    const { contract } = parseContract(file, doc);
    if (contract && !mapOf(contract).has(contract.physicalName))
      mapOf(contract).set(contract.physicalName, contract);
  }
  return result;
}
