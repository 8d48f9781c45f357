import {
  Classification,
  datasetEntityName,
} from '@lakeport/plugin-lakehouse-common';

export function formatCount(value?: number): string {
  if (value === undefined) return '—';
  return new Intl.NumberFormat('en', {
    notation: value >= 100_000 ? 'compact' : 'standard',
  }).format(value);
}

export function formatBytes(value?: number): string {
  if (value === undefined) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = value;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

export function formatAge(iso?: string): string {
  if (!iso) return '—';
  const hours = (Date.now() - new Date(iso).getTime()) / 3_600_000;
  if (hours < 1) return 'less than an hour ago';
  if (hours < 48) return `${Math.round(hours)} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export const CLASSIFICATION_COLORS: Record<
  Classification,
  'default' | 'info' | 'warning' | 'error'
> = {
  public: 'default',
  internal: 'info',
  confidential: 'warning',
  pii: 'error',
};

/** `group:default/customers-data` → `customers-data`. */
export function shortRef(ref?: string): string {
  return ref ? ref.replace(/^[^:]+:(default\/)?/, '') : '—';
}

/** What the server said (a ResponseError's body), else the error's message. */
export function errorMessage(e: unknown): string {
  const body = (e as { body?: { error?: { message?: string } } }).body;
  return body?.error?.message ?? (e as Error).message;
}

/** Path of a tab of a dataset's catalog page, e.g. `…/customers-curated-customers/quality`. */
export function datasetTabPath(name: string, tab: string): string {
  return `/catalog/default/resource/${datasetEntityName(name)}/${tab}`;
}
