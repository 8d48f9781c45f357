/**
 * Column classifications, from least to most sensitive. A dataset's
 * classification is the most sensitive of its columns.
 *
 * @public
 */
export const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'pii',
] as const;

/** @public */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** @public */
export function isClassification(value: unknown): value is Classification {
  return CLASSIFICATIONS.includes(value as Classification);
}

/** Classifications whose values are masked for callers without a grant. @public */
export function isSensitive(classification: Classification | undefined) {
  return classification === 'pii' || classification === 'confidential';
}

/** The most sensitive of the given classifications. @public */
export function mostSensitive(
  values: Array<Classification | undefined>,
): Classification | undefined {
  let best = -1;
  for (const value of values) {
    if (value) best = Math.max(best, CLASSIFICATIONS.indexOf(value));
  }
  return best < 0 ? undefined : CLASSIFICATIONS[best];
}
