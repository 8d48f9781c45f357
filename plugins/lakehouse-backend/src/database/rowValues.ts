/** Reading database rows: SQL NULL as undefined, numbers from BIGINT, JSON text. */

export const opt = <T>(value: T | null): T | undefined => value ?? undefined;

export const num = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value);

/** Parsed JSON text, or `fallback` for NULL and empty text. */
export function parseJson<T>(value: unknown): T | undefined;
export function parseJson<T>(value: unknown, fallback: T): T;
export function parseJson<T>(value: unknown, fallback?: T): T | undefined {
  return typeof value === 'string' && value
    ? (JSON.parse(value) as T)
    : fallback;
}
