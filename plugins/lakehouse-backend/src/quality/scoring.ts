import {
  QUALITY_DIMENSIONS,
  QualityCheckStatus,
  QualityDimension,
  QualityDimensionScore,
  QualityGrade,
  QualitySeverity,
} from '@lakeport/plugin-lakehouse-common';

/**
 * Score 0-100 from weighted dimensions. Only dimensions with scored checks
 * count (their weights scaled to 100); within a dimension an error-severity
 * check weighs three times a warning. A failed check loses its whole
 * weight, so the score explains itself: 100 minus the points each failed
 * check cost. Checks in `error` (could not be evaluated) are not scored.
 */
export const DIMENSION_WEIGHTS: Record<QualityDimension, number> = {
  completeness: 25,
  validity: 20,
  uniqueness: 20,
  freshness: 15,
  consistency: 10,
  schema: 10,
};

const SEVERITY_WEIGHTS: Record<QualitySeverity, number> = {
  error: 3,
  warning: 1,
};

export interface ScoredCheck {
  checkId: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  status: QualityCheckStatus;
}

export interface Score {
  score: number;
  grade: QualityGrade;
  dimensions: QualityDimensionScore[];
  /** Points each check cost, by check id (0 for passed checks). */
  pointsLost: Map<string, number>;
}

export function gradeOf(score: number): QualityGrade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** `undefined` when nothing could be scored. */
export function scoreChecks(checks: ScoredCheck[]): Score | undefined {
  const scored = checks.filter(c => c.status !== 'error');
  if (scored.length === 0) return undefined;
  const present = QUALITY_DIMENSIONS.filter(d =>
    scored.some(c => c.dimension === d),
  );
  const totalWeight = present.reduce((sum, d) => sum + DIMENSION_WEIGHTS[d], 0);
  const pointsLost = new Map<string, number>(checks.map(c => [c.checkId, 0]));
  const dimensions = present.map(dimension => {
    const weight = (DIMENSION_WEIGHTS[dimension] / totalWeight) * 100;
    const inDimension = scored.filter(c => c.dimension === dimension);
    const severityTotal = inDimension.reduce(
      (sum, c) => sum + SEVERITY_WEIGHTS[c.severity],
      0,
    );
    let lost = 0;
    for (const check of inDimension) {
      if (check.status !== 'failed') continue;
      const cost = (weight * SEVERITY_WEIGHTS[check.severity]) / severityTotal;
      pointsLost.set(check.checkId, round1(cost));
      lost += cost;
    }
    return {
      dimension,
      weight: round1(weight),
      points: round1(weight - lost),
      score: round1(((weight - lost) / weight) * 100),
      checks: inDimension.length,
      failed: inDimension.filter(c => c.status === 'failed').length,
    };
  });
  const score = round1(
    dimensions.reduce((sum, d) => sum + (d.score * d.weight) / 100, 0),
  );
  return { score, grade: gradeOf(score), dimensions, pointsLost };
}

/** Failing while any error-severity check fails. */
export function healthOf(checks: ScoredCheck[]): 'passing' | 'failing' {
  return checks.some(c => c.severity === 'error' && c.status === 'failed')
    ? 'failing'
    : 'passing';
}
