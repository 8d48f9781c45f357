import { Knex } from 'knex';
import { chunks } from '../database/chunks';

/** A pipeline a template planned: job, inputs, output (asset ids). */
export interface PlannedPipeline {
  jobId: string;
  outputId: string;
  inputs: string[];
  owner: string;
  /** The project's catalog entity ref. */
  project?: string;
  /** The output's ODCS contract (YAML), as the project carries it. */
  contract?: string;
  plannedBy: string;
  plannedAt: string;
}

const toPipeline = (row: any): PlannedPipeline => ({
  jobId: row.job_id,
  outputId: row.output_id,
  inputs: JSON.parse(row.inputs),
  owner: row.owner,
  project: row.project ?? undefined,
  contract: row.contract ?? undefined,
  plannedBy: row.planned_by,
  plannedAt: row.planned_at,
});

/** Knex access to planned pipelines; SQL that runs on SQLite and PostgreSQL. */
export class PlannedStore {
  constructor(private readonly db: Knex) {}

  /** Records (or re-plans) a pipeline inside the caller's transaction. */
  async save(tx: Knex, p: PlannedPipeline): Promise<void> {
    await tx('lakehouse_planned_pipelines')
      .insert({
        job_id: p.jobId,
        output_id: p.outputId,
        inputs: JSON.stringify(p.inputs),
        owner: p.owner,
        project: p.project ?? null,
        contract: p.contract ?? null,
        planned_by: p.plannedBy,
        planned_at: p.plannedAt,
      })
      .onConflict('job_id')
      .merge();
  }

  async list(): Promise<PlannedPipeline[]> {
    const rows = await this.db('lakehouse_planned_pipelines').orderBy(
      'planned_at',
      'desc',
    );
    return rows.map(toPipeline);
  }

  /** Which of the given asset ids are a planned job or a planned output. */
  async plannedIds(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const batch of chunks(ids, 450)) {
      const rows = await this.db('lakehouse_planned_pipelines')
        .whereIn('job_id', batch)
        .orWhereIn('output_id', batch)
        .select('job_id', 'output_id');
      for (const r of rows) {
        if (batch.includes(r.job_id)) out.add(r.job_id);
        if (batch.includes(r.output_id)) out.add(r.output_id);
      }
    }
    return out;
  }

  /**
   * Planned lineage touching the given ids in one direction: inputs → job
   * and job → output of every planned pipeline. Kept here, not among the
   * reported edges, so that it disappears once the job reports its own.
   */
  async plannedEdges(
    ids: string[],
    direction: 'upstream' | 'downstream',
  ): Promise<Array<{ sourceId: string; targetId: string; jobId: string }>> {
    const wanted = new Set(ids);
    const rows = await this.db('lakehouse_planned_pipelines').select(
      'job_id',
      'output_id',
      'inputs',
    );
    const out: Array<{ sourceId: string; targetId: string; jobId: string }> =
      [];
    for (const r of rows) {
      const edges = [
        ...(JSON.parse(r.inputs) as string[]).map(i => ({
          sourceId: i,
          targetId: r.job_id,
        })),
        { sourceId: r.job_id, targetId: r.output_id },
      ];
      for (const e of edges)
        if (wanted.has(direction === 'downstream' ? e.sourceId : e.targetId))
          out.push({ ...e, jobId: r.job_id });
    }
    return out;
  }

  /** Contracts carried by planned projects, for the lakehouse sync. */
  async contracts(): Promise<Array<{ file: string; content: string }>> {
    const rows = await this.db('lakehouse_planned_pipelines')
      .whereNotNull('contract')
      .select('job_id', 'project', 'contract');
    return rows.map(r => ({
      file: `planned/${r.project ?? r.job_id}/contract.yaml`,
      content: r.contract,
    }));
  }
}
