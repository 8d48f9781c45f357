import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  datasetAssetId,
  EMBEDDED_LAKEHOUSE_NAMESPACE,
  lakehousePipelinePlanPermission,
  parseAssetId,
  stringifyAssetId,
} from '@lakeport/plugin-lakehouse-common';
import { Knex } from 'knex';
import { DatasetStore } from '../assets/DatasetStore';
import { parseSubmittedContract } from '../contracts/submittedContract';
import { assertOwnedByCaller } from '../permissions/ownedByCaller';
import { isObject } from '../isObject';
import { authorizeOne } from '../permissions/authorize';
import { LineageStore } from '../lineage/LineageStore';
import { PlannedPipeline, PlannedStore } from './PlannedStore';

const TABLE =
  /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,200}$/;

/** Where a planned pipeline is: planned, reported a run, or its output exists. */
export type PlannedStatus = 'planned' | 'running' | 'real';

export type PlannedPipelineView = Omit<PlannedPipeline, 'contract'> & {
  status: PlannedStatus;
  hasContract: boolean;
};

/**
 * Pipelines planned by templates: the output dataset and the lineage
 * inputs → job → output are in the graph, flagged planned, before the
 * first run; the first run's events and the next sync make them real.
 */
export class PlannedService {
  constructor(
    private readonly deps: {
      db: Knex;
      store: PlannedStore;
      lineage: LineageStore;
      datasets: DatasetStore;
      auth: AuthService;
      userInfo: UserInfoService;
      permissions: PermissionsService;
      auditor?: AuditorService;
      logger: LoggerService;
    },
  ) {}

  async plan(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<PlannedPipelineView> {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new NotAllowedError('Pipelines are planned by signed-in users');
    await authorizeOne(
      this.deps.permissions,
      lakehousePipelinePlanPermission,
      credentials,
    );
    const user = credentials.principal.userEntityRef;
    const p = this.validate(body);
    await assertOwnedByCaller(this.deps.userInfo, credentials, p.owner);
    const known = await this.deps.datasets.summaries([...p.inputs, p.outputId]);
    const unknown = p.inputs.filter(id => known.get(id)?.status !== 'active');
    if (unknown.length)
      throw new InputError(`inputs: no dataset ${unknown.join(', ')}`);
    const existing = known.get(p.outputId);
    if (existing?.owner && existing.owner !== p.owner)
      throw new ConflictError(
        `output ${p.table} already exists, owned by ${existing.owner}`,
      );
    const contract = p.contract ? this.checkContract(p.contract, p.table) : '';
    const pipeline: PlannedPipeline = {
      jobId: p.jobId,
      outputId: p.outputId,
      inputs: p.inputs,
      owner: p.owner,
      project: p.project,
      contract: contract || undefined,
      plannedBy: user,
      plannedAt: new Date().toISOString(),
    };
    const job = parseAssetId(p.jobId);
    const output = parseAssetId(p.outputId);
    await this.deps.db.transaction(async tx => {
      const prior = await tx('lakehouse_planned_pipelines')
        .where({ job_id: p.jobId })
        .first();
      if (prior && (prior.project ?? null) !== (p.project ?? null))
        throw new ConflictError(
          `job ${p.jobId} is already planned by ${
            prior.project ?? 'another project'
          }`,
        );
      await this.deps.store.save(tx, pipeline);
      await this.deps.lineage.writeGraph(tx, {
        nodes: [
          ...p.inputs.map(id => {
            const ref = parseAssetId(id);
            return {
              id,
              kind: 'dataset' as const,
              namespace: ref.namespace,
              name: ref.name,
            };
          }),
          {
            id: p.jobId,
            kind: 'job',
            namespace: job.namespace,
            name: job.name,
            owners: [p.owner],
            description: p.project
              ? `Planned by ${p.project}`
              : 'Planned from a template',
          },
          {
            id: p.outputId,
            kind: 'dataset',
            namespace: output.namespace,
            name: output.name,
            owners: [p.owner],
          },
        ],
        aliases: [],
        // The planned edges live with the plan (PlannedStore.plannedEdges)
        // until the job reports a run of its own.
        edges: [],
        columnEdges: [],
      });
    });
    await this.audit(user, pipeline);
    return (await this.withStatus([pipeline]))[0];
  }

  async list(
    credentials: BackstageCredentials,
  ): Promise<PlannedPipelineView[]> {
    if (!this.deps.auth.isPrincipal(credentials, 'user'))
      throw new NotAllowedError('Planned pipelines are for signed-in users');
    return this.withStatus(await this.deps.store.list());
  }

  private async withStatus(
    pipelines: PlannedPipeline[],
  ): Promise<PlannedPipelineView[]> {
    const [runs, datasets] = await Promise.all([
      this.deps.lineage.latestRuns(pipelines.map(p => p.jobId)),
      this.deps.datasets.summaries(pipelines.map(p => p.outputId)),
    ]);
    return pipelines.map(({ contract, ...p }) => {
      let status: PlannedStatus = 'planned';
      if (datasets.get(p.outputId)?.status === 'active') status = 'real';
      else if (runs.has(p.jobId)) status = 'running';
      return { ...p, status, hasContract: Boolean(contract) };
    });
  }

  private validate(body: unknown) {
    if (!isObject(body))
      throw new InputError(
        'Body must be { job: { namespace, name }, output, inputs, owner, project?, contract? }',
      );
    const { job, output, inputs, owner, project, contract } = body;
    if (
      !isObject(job) ||
      typeof job.namespace !== 'string' ||
      typeof job.name !== 'string' ||
      !NAME.test(job.namespace) ||
      !NAME.test(job.name)
    )
      throw new InputError(
        'job must be { namespace, name } as the pipeline reports it to OpenLineage (letters, digits, _ . - /)',
      );
    if (typeof output !== 'string' || !TABLE.test(output))
      throw new InputError(
        `output must be a lakehouse table <domain>.<layer>.<table>, not ${JSON.stringify(
          output,
        )}`,
      );
    if (
      !Array.isArray(inputs) ||
      inputs.length === 0 ||
      inputs.some(i => typeof i !== 'string' || !i.startsWith('dataset:'))
    )
      throw new InputError('inputs must be one or more dataset ids');
    if (typeof owner !== 'string' || !/^(group|user):/.test(owner))
      throw new InputError('owner must be a group or user entity ref');
    if (project !== undefined && typeof project !== 'string')
      throw new InputError('project must be an entity ref');
    if (contract !== undefined && typeof contract !== 'string')
      throw new InputError('contract must be the ODCS contract as YAML');
    return {
      jobId: stringifyAssetId({
        kind: 'job',
        namespace: job.namespace,
        name: job.name,
      }),
      table: output,
      outputId: datasetAssetId(EMBEDDED_LAKEHOUSE_NAMESPACE, output),
      inputs: [...new Set(inputs as string[])],
      owner,
      project: project as string | undefined,
      contract: contract as string | undefined,
    };
  }

  private checkContract(content: string, table: string): string {
    const contract = parseSubmittedContract(content);
    if (contract.physicalName !== table)
      throw new InputError(
        `contract: describes ${contract.physicalName}, not the output ${table}`,
      );
    return content;
  }

  private async audit(user: string, p: PlannedPipeline) {
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: 'pipeline-plan',
        severityLevel: 'low',
        meta: {
          actor: user,
          job: p.jobId,
          output: p.outputId,
          inputs: p.inputs,
          owner: p.owner,
          project: p.project,
        },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not audit a planned pipeline: ${e}`);
    }
  }
}
