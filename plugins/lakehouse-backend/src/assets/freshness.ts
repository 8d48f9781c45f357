import { DatasetFreshness } from '@lakeport/plugin-lakehouse-common';

/**
 * Freshness against the contract's SLA: measured on the SLA's column when it
 * is a partition column (the newest partition's value), otherwise on the
 * files' last modification; for a stream, on its newest message (the
 * refresh that first saw it, so within one refresh interval).
 */
export function computeFreshness(
  dataset: {
    freshnessSlaHours?: number;
    freshnessElement?: string;
    partitionColumns: string[];
    latestPartition?: string;
    lastModified?: string;
    stream?: boolean;
  },
  now = new Date(),
): DatasetFreshness | undefined {
  const slaHours = dataset.freshnessSlaHours;
  if (!slaHours) return undefined;
  let latestAt: string | undefined;
  let measuredOn = dataset.stream ? 'newest message' : 'file modification time';
  const element = dataset.freshnessElement;
  if (
    element &&
    dataset.partitionColumns.includes(element) &&
    dataset.latestPartition
  ) {
    measuredOn = `partition ${element}`;
    const value = dataset.latestPartition
      .split('/')
      .find(part => part.startsWith(`${element}=`))
      ?.slice(element.length + 1);
    const parsed = value
      ? new Date(
          /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value,
        )
      : undefined;
    latestAt =
      parsed && !isNaN(parsed.getTime()) ? parsed.toISOString() : undefined;
  } else {
    latestAt = dataset.lastModified;
  }
  if (!latestAt) return { slaHours, measuredOn, status: 'unknown' };
  const ageHours = Math.max(
    0,
    (now.getTime() - new Date(latestAt).getTime()) / 3_600_000,
  );
  return {
    slaHours,
    measuredOn,
    latestAt,
    ageHours: Math.round(ageHours * 10) / 10,
    status: ageHours <= slaHours ? 'fresh' : 'stale',
  };
}
