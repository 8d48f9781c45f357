import { AuthService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { datasetEntityName } from '@lakeport/plugin-lakehouse-common';
import { LineageService } from '../lineage/LineageService';
import { HealthChange } from './QualityRunner';

const MAX_LISTED = 5;

/**
 * One notification per run that changes a dataset's health (not one per
 * check): to the owner group and to the owners of datasets downstream (from
 * lineage); a recovery notification when it passes again.
 */
export function healthNotifier(deps: {
  notifications: NotificationService;
  lineage: LineageService;
  auth: AuthService;
  dataset: (
    id: string,
  ) => Promise<{ name: string; owner?: string } | undefined>;
}) {
  return async (change: HealthChange) => {
    const dataset = await deps.dataset(change.datasetId);
    if (!dataset) return;
    const impact = await deps.lineage
      .impact(change.datasetId, await deps.auth.getOwnServiceCredentials())
      .catch(() => undefined);
    const downstream = (impact?.owners ?? [])
      .map(o => o.owner)
      .filter(ref => /^(group|user):/.test(ref));
    const recipients = [
      ...new Set([dataset.owner, ...downstream].filter(Boolean)),
    ] as string[];
    if (recipients.length === 0) return;
    const failing = change.health === 'failing';
    const listed = change.failing
      .slice(0, MAX_LISTED)
      .map(
        c =>
          `${c.name}${
            c.failingRows !== undefined ? ` (${c.failingRows} rows)` : ''
          }`,
      );
    const more =
      change.failing.length > MAX_LISTED
        ? ` and ${change.failing.length - MAX_LISTED} more`
        : '';
    const grade = change.grade
      ? ` Grade ${change.grade} (${change.score}).`
      : '';
    await deps.notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        title: failing
          ? `${dataset.name} is failing ${change.failing.length} quality check${
              change.failing.length === 1 ? '' : 's'
            }`
          : `${dataset.name} passes its quality checks again`,
        description: failing
          ? `Failing: ${listed.join('; ')}${more}.${grade}`
          : `All error-level checks pass.${grade}`,
        link: `/catalog/default/resource/${datasetEntityName(
          dataset.name,
        )}/quality`,
        severity: failing ? 'high' : 'normal',
        topic: 'data-quality',
        scope: `lakehouse-quality:${change.datasetId}:${change.health}`,
      },
    });
  };
}
