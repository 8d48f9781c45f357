import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CreatedTopic,
  datasetAssetId,
  lakehouseTopicCreatePermission,
} from '@lakeport/plugin-lakehouse-common';
import { StreamSource } from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { DatasetStore } from '../assets/DatasetStore';
import { parseSubmittedContract } from '../contracts/submittedContract';
import { assertOwnedByCaller } from '../permissions/ownedByCaller';
import { isObject } from '../isObject';
import { authorizeOne } from '../permissions/authorize';
import { StreamSync } from './StreamSync';

/** Kafka's topic names (the ODCS parser holds topic contracts to the same). */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const TABLE = 'lakehouse_topic_contracts';

/** Contracts of topics created through the portal, shaped like planned contracts for loadContracts. */
export async function topicContracts(
  db: Knex,
): Promise<Array<{ file: string; content: string }>> {
  const rows = await db(TABLE).select('topic', 'contract');
  return rows.map(r => ({
    file: `topics/${r.topic}.odcs.yaml`,
    content: r.contract,
  }));
}

/**
 * New topics with their contracts, for the person running the streaming
 * template: everything is checked (permission, owner, contract, cluster,
 * name not taken) before anything is written; the contract row and the
 * topic are created together (the row is rolled back when the cluster
 * refuses), and the cluster is refreshed so the topic is a dataset at once.
 */
export class TopicService {
  constructor(
    private readonly deps: {
      db: Knex;
      sources: StreamSource[];
      sync: StreamSync;
      datasets: DatasetStore;
      auth: AuthService;
      userInfo: UserInfoService;
      permissions: PermissionsService;
      auditor?: AuditorService;
      logger: LoggerService;
    },
  ) {}

  async create(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<CreatedTopic> {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new NotAllowedError('Topics are created by signed-in users');
    await authorizeOne(
      this.deps.permissions,
      lakehouseTopicCreatePermission,
      credentials,
    );
    const t = this.validate(body);
    await assertOwnedByCaller(this.deps.userInfo, credentials, t.owner);
    const source = this.sourceOf(t.cluster);
    const datasetId = datasetAssetId(source.namespace, t.topic);
    const known = (await this.deps.datasets.summaries([datasetId])).get(
      datasetId,
    );
    if (known?.status === 'active')
      throw new ConflictError(`topic ${t.topic} exists already`);
    const user = credentials.principal.userEntityRef;
    await this.deps.db.transaction(async tx => {
      // A topic deleted earlier may have left its row: the new one replaces it.
      await tx(TABLE).where({ dataset_id: datasetId }).delete();
      await tx(TABLE).insert({
        dataset_id: datasetId,
        source_id: source.id,
        topic: t.topic,
        owner: t.owner,
        project: t.project ?? null,
        contract: t.contract,
        created_by: user,
        created_at: new Date().toISOString(),
      });
      try {
        await source.createTopic!({
          name: t.topic,
          partitions: t.partitions,
          retentionMs:
            t.retentionHours === undefined
              ? undefined
              : Math.round(t.retentionHours * 3_600_000),
        });
      } catch (e) {
        const message = (e as Error).message || String(e);
        if (/exist/i.test(message))
          throw new ConflictError(`topic ${t.topic} exists already`);
        throw new ServiceUnavailableError(
          `${source.id} did not create ${t.topic}: ${message}`,
        );
      }
    });
    await this.audit(user, datasetId, t.owner, t.project);
    // The topic is a dataset (with its contract) before the template goes on.
    const [synced] = await this.deps.sync.run([source]);
    if (!synced.ok)
      this.deps.logger.warn(
        `Created ${datasetId}; the refresh after it failed (${synced.error}): it appears with the next one`,
      );
    return {
      datasetId,
      sourceId: source.id,
      topic: t.topic,
      partitions: t.partitions,
    };
  }

  private sourceOf(cluster: string | undefined): StreamSource {
    const creators = this.deps.sources.filter(s => s.createTopic);
    const names = creators.map(s => s.id.slice(s.id.indexOf(':') + 1));
    if (cluster === undefined) {
      if (creators.length === 1) return creators[0];
      throw new InputError(
        creators.length
          ? `cluster: say which, one of ${names.join(', ')}`
          : 'No streaming cluster that can create topics is configured',
      );
    }
    const source = creators.find(
      s => s.id === cluster || s.id.endsWith(`:${cluster}`),
    );
    if (!source)
      throw new InputError(
        `cluster: no cluster ${cluster} that can create topics (${
          names.join(', ') || 'none configured'
        })`,
      );
    return source;
  }

  private validate(body: unknown) {
    if (!isObject(body))
      throw new InputError(
        'Body must be { topic, owner, contract, cluster?, partitions?, retentionHours?, project? }',
      );
    const { cluster, topic, partitions, retentionHours, owner, project } = body;
    if (
      typeof topic !== 'string' ||
      !TOPIC.test(topic) ||
      /^\.\.?$/.test(topic)
    )
      throw new InputError(
        `topic must be a Kafka topic name (letters, digits, ".", "_", "-"; at most 249), not ${JSON.stringify(
          topic,
        )}`,
      );
    if (topic.startsWith('_'))
      throw new InputError(
        `topic ${topic}: names starting with _ are for the cluster's own topics`,
      );
    if (cluster !== undefined && typeof cluster !== 'string')
      throw new InputError('cluster must be a cluster name');
    const count = partitions ?? 3;
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      throw new InputError('partitions must be a whole number from 1 to 1000');
    if (
      retentionHours !== undefined &&
      (typeof retentionHours !== 'number' ||
        !(retentionHours > 0) ||
        retentionHours > 24 * 365 * 10)
    )
      throw new InputError(
        'retentionHours must be a number of hours above 0 (at most ten years)',
      );
    if (typeof owner !== 'string' || !/^(group|user):/.test(owner))
      throw new InputError('owner must be a group or user entity ref');
    if (project !== undefined && typeof project !== 'string')
      throw new InputError('project must be an entity ref');
    const contract = this.checkContract(body.contract, topic, owner);
    return {
      cluster: cluster as string | undefined,
      topic,
      partitions: count as number,
      retentionHours: retentionHours as number | undefined,
      owner,
      project: project as string | undefined,
      contract,
    };
  }

  private checkContract(content: unknown, topic: string, owner: string) {
    if (typeof content !== 'string' || !content.trim())
      throw new InputError('contract must be the ODCS contract as YAML');
    const contract = parseSubmittedContract(content);
    if (!contract.stream)
      throw new InputError(
        'contract: schema[0].physicalType must be topic for a stream',
      );
    if (contract.physicalName !== topic)
      throw new InputError(
        `contract: describes ${contract.physicalName}, not the topic ${topic}`,
      );
    if (contract.owner && contract.owner !== owner)
      throw new InputError(
        `contract: owned by ${contract.owner}, not the topic's owner ${owner}`,
      );
    return content;
  }

  private async audit(
    user: string,
    datasetId: string,
    owner: string,
    project?: string,
  ) {
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: 'topic-create',
        severityLevel: 'medium',
        meta: { actor: user, dataset: datasetId, owner, project },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not audit a created topic: ${e}`);
    }
  }
}
