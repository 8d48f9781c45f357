import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  lakehouseDatasetPreviewPermission,
  MASKED_VALUE,
} from '@lakeport/plugin-lakehouse-common';
import {
  EngineQueryError,
  EngineQueryResult,
  LakehouseEngine,
} from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { DatasetService } from '../assets/DatasetService';
import { DatasetStore } from '../assets/DatasetStore';
import { authorizeOne } from '../permissions/authorize';

/** What `POST /query` answers. */
export interface QueryResponse extends EngineQueryResult {
  /** Datasets the query read. */
  datasets: string[];
  /** Per dataset, the columns the caller saw masked (as in the preview). */
  masked: Array<{ dataset: string; columns: string[] }>;
}

const MAX_SQL_LENGTH = 100_000;

/**
 * Reads lakehouse data for people and scripts: one SELECT over datasets,
 * each dataset needing `lakehouse.dataset.preview`, every column the caller
 * may not see masked at the source exactly as the preview masks it (owner
 * group, grants by user, group and column, derived classifications), with a
 * row limit and a timeout, cancelled when the caller goes away. Every
 * query, refused or not, is audited.
 */
export class QueryService {
  constructor(
    private readonly deps: {
      db: Knex;
      engine: LakehouseEngine;
      datasets: DatasetStore;
      datasetService: DatasetService;
      permissions: PermissionsService;
      auth: AuthService;
      auditor?: AuditorService;
      logger: LoggerService;
      maxRows: number;
      timeoutMs: number;
    },
  ) {}

  private actor(credentials: BackstageCredentials): string {
    if (this.deps.auth.isPrincipal(credentials, 'user'))
      return credentials.principal.userEntityRef;
    if (this.deps.auth.isPrincipal(credentials, 'service'))
      return credentials.principal.subject;
    return 'unknown';
  }

  async run(
    body: unknown,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<QueryResponse> {
    const { sql, limit } = this.parse(body);
    const started = Date.now();
    const audit = {
      actor: this.actor(credentials),
      at: new Date(started).toISOString(),
      sql,
      datasets: [] as string[],
      masked: [] as QueryResponse['masked'],
    };
    try {
      const result = await this.execute(sql, limit, credentials, audit, signal);
      await this.record(audit, 'ok', started, result.rows.length);
      return result;
    } catch (e) {
      const status =
        (e instanceof EngineQueryError && e.reason) ||
        (e instanceof NotAllowedError ? 'forbidden' : 'error');
      await this.record(audit, status, started, undefined, e as Error);
      if (e instanceof EngineQueryError) throw new InputError(e.message);
      throw e;
    }
  }

  private parse(body: unknown): { sql: string; limit: number } {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.sql !== 'string' || !b.sql.trim())
      throw new InputError(
        'sql is required: one SELECT over lakehouse datasets',
      );
    if (b.sql.length > MAX_SQL_LENGTH)
      throw new InputError(`sql is longer than ${MAX_SQL_LENGTH} characters`);
    const limit =
      b.limit === undefined ? Math.min(1000, this.deps.maxRows) : b.limit;
    if (
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > this.deps.maxRows
    )
      throw new InputError(
        `limit must be an integer from 1 to ${this.deps.maxRows}`,
      );
    return { sql: b.sql, limit };
  }

  private async execute(
    sql: string,
    limit: number,
    credentials: BackstageCredentials,
    audit: { datasets: string[]; masked: QueryResponse['masked'] },
    signal?: AbortSignal,
  ): Promise<QueryResponse> {
    const { engine } = this.deps;
    if (!engine.tablesOf)
      throw new InputError(
        'The lakehouse engine in use does not serve queries',
      );
    const tables = await engine.tablesOf(sql);
    if (!tables.length)
      throw new InputError(
        'The query reads no lakehouse dataset: name one as <domain>.<layer>.<table>',
      );
    const mask: Record<string, string[]> = {};
    for (const table of tables) {
      const id = `dataset:${engine.namespace}:${table}`;
      audit.datasets.push(id);
      const dataset = await this.deps.datasets.get(id);
      if (!dataset || dataset.status === 'removed')
        throw new InputError(`${table} is not a dataset of the catalog`);
      try {
        await authorizeOne(
          this.deps.permissions,
          lakehouseDatasetPreviewPermission,
          credentials,
          id,
        );
      } catch {
        throw new NotAllowedError(`Not allowed to read ${id}`);
      }
      const { masked } = await this.deps.datasetService.masking(
        dataset,
        credentials,
      );
      mask[table] = [...masked].sort();
      if (masked.size) audit.masked.push({ dataset: id, columns: mask[table] });
    }
    const result = await engine.query(sql, {
      limit,
      timeoutMs: this.deps.timeoutMs,
      signal,
      mask: { columns: mask, value: MASKED_VALUE },
    });
    return { ...result, datasets: audit.datasets, masked: audit.masked };
  }

  private async record(
    audit: {
      actor: string;
      at: string;
      sql: string;
      datasets: string[];
      masked: QueryResponse['masked'];
    },
    status: string,
    started: number,
    rows?: number,
    error?: Error,
  ) {
    const durationMs = Date.now() - started;
    // No result leaves without its audit row: a failed insert fails the query.
    await this.deps.db('lakehouse_query_audit').insert({
      actor: audit.actor,
      at: audit.at,
      sql: audit.sql.slice(0, 10_000),
      datasets: JSON.stringify(audit.datasets),
      masked: JSON.stringify(audit.masked),
      status,
      rows: rows ?? null,
      duration_ms: durationMs,
      error: error ? error.message.slice(0, 1000) : null,
    });
    try {
      const event = await this.deps.auditor?.createEvent({
        eventId: 'lakehouse-query',
        severityLevel: 'low',
        meta: {
          actor: audit.actor,
          datasets: audit.datasets,
          masked: audit.masked,
          status,
          rows,
          durationMs,
        },
      });
      await event?.success();
    } catch (e) {
      this.deps.logger.warn(`Could not audit a query: ${e}`);
    }
  }
}
