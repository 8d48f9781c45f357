import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { StreamSource } from '@lakeport/plugin-lakehouse-node';
import { Knex } from 'knex';
import { DatasetStore } from '../assets/DatasetStore';
import { MetadataAssetStore } from '../ml/MetadataAssetStore';
import { StreamStore } from './StreamStore';
import { StreamSync } from './StreamSync';
import { topicContracts, TopicService } from './TopicService';
import { createStreamsRouter, STREAM_SYNC_TASK_ID } from './streamsRouter';

/**
 * The streams domain: topics of streaming clusters (modules such as
 * lakehouse-backend-module-kafka) kept as datasets, refreshed on a schedule
 * (`lakeport.streams.syncIntervalSeconds`, default 60) and on demand by
 * admins. A source's state (last success, error) is kept beside the other
 * metadata sources', so `GET /metadata-sources` lists it too. Topics created
 * through the portal keep their contracts beside the planned ones.
 */
export async function wireStreams(deps: {
  db: Knex;
  sources: StreamSource[];
  datasets: DatasetStore;
  sourceStates: MetadataAssetStore;
  contractsDirectory: string;
  plannedContracts: () => Promise<Array<{ file: string; content: string }>>;
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  userInfo: UserInfoService;
  auditor?: AuditorService;
}) {
  const streams = new StreamStore(deps.db);
  const sync = new StreamSync({
    datasets: deps.datasets,
    streams,
    contractsDirectory: deps.contractsDirectory,
    plannedContracts: async () => [
      ...(await deps.plannedContracts()),
      ...(await topicContracts(deps.db)),
    ],
    recordAttempt: (source, attempt) =>
      deps.sourceStates.recordAttempt(source, attempt),
    logger: deps.logger,
  });
  if (deps.sources.length) {
    await deps.scheduler.scheduleTask({
      id: STREAM_SYNC_TASK_ID,
      frequency: {
        seconds:
          deps.config.getOptionalNumber(
            'lakeport.streams.syncIntervalSeconds',
          ) ?? 60,
      },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 5 },
      fn: async () => {
        await sync.run(deps.sources);
      },
    });
  }
  const topics = new TopicService({
    db: deps.db,
    sources: deps.sources,
    sync,
    datasets: deps.datasets,
    auth: deps.auth,
    userInfo: deps.userInfo,
    permissions: deps.permissions,
    auditor: deps.auditor,
    logger: deps.logger,
  });
  const kinds = new Map(deps.sources.map(s => [s.id, s.kind]));
  return {
    sync,
    streams,
    router: createStreamsRouter({
      streams,
      topics,
      sourceState: async id =>
        (await deps.sourceStates.sourceStatuses()).find(s => s.id === id),
      kindOf: id => kinds.get(id) ?? id.split(':')[0],
      maxLag: deps.config.getOptionalNumber('lakeport.streams.maxLag') ?? 1000,
      scheduler: deps.scheduler,
      permissions: deps.permissions,
      httpAuth: deps.httpAuth,
    }),
  };
}
