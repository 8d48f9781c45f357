import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  PromotionGate,
  QUALITY_GRADES,
  QualityGrade,
  TrainingInput,
} from '@lakeport/plugin-lakehouse-common';

/** A metric compared with the alias's current holder. */
export interface GatedMetric {
  name: string;
  /** False for losses and errors (lower is better). */
  higherIsBetter: boolean;
  /** How much worse than the holder it may be (absolute). */
  tolerance: number;
}

/** `lakeport.models`: which aliases are governed and what a promotion must meet. */
export interface PromotionPolicy {
  governedAliases: string[];
  requiredMetrics: string[];
  metrics: GatedMetric[];
  minTrainingGrade: QualityGrade;
}

export function readPromotionPolicy(
  config?: RootConfigService,
): PromotionPolicy {
  const models = config?.getOptionalConfig('lakeport.models');
  const minTrainingGrade = (
    models?.getOptionalString('promotion.minTrainingGrade') ?? 'C'
  ).toUpperCase();
  if (!QUALITY_GRADES.includes(minTrainingGrade as QualityGrade))
    throw new Error(
      `lakeport.models.promotion.minTrainingGrade must be one of ${QUALITY_GRADES.join(
        ', ',
      )}`,
    );
  return {
    governedAliases: models?.getOptionalStringArray('governedAliases') ?? [
      'champion',
      'production',
    ],
    requiredMetrics:
      models?.getOptionalStringArray('promotion.requiredMetrics') ?? [],
    metrics: (models?.getOptionalConfigArray('promotion.metrics') ?? []).map(
      m => ({
        name: m.getString('name'),
        higherIsBetter: m.getOptionalBoolean('higherIsBetter') ?? true,
        tolerance: m.getOptionalNumber('tolerance') ?? 0,
      }),
    ),
    minTrainingGrade: minTrainingGrade as QualityGrade,
  };
}

/** What the gates look at of a version. */
export interface GateSubject {
  version: string;
  metrics: Record<string, number>;
  /** The datasets it was trained on (directly or through features). */
  datasets: TrainingInput[];
  /** Derived classification of its training data. */
  classification?: string;
}

const fmt = (n: number) => Number(n.toPrecision(4)).toString();

/**
 * The gates of a promotion of `candidate` over `holder` (the version the
 * alias points at now, if any). A `pending` gate needs a steward's sign-off;
 * a `failed` one blocks approval unless an owner overrides it.
 */
export function evaluateGates(
  policy: PromotionPolicy,
  candidate: GateSubject,
  holder?: GateSubject,
): PromotionGate[] {
  const required = policy.requiredMetrics.length
    ? `Has ${policy.requiredMetrics.join(', ')}`
    : 'No metrics are required';
  const missing = policy.requiredMetrics.filter(
    m => typeof candidate.metrics[m] !== 'number',
  );
  const gates: PromotionGate[] = [
    {
      id: 'required-metrics',
      title: 'Required metrics present',
      result: missing.length ? 'failed' : 'passed',
      detail: missing.length
        ? `Version ${candidate.version} has no ${missing.join(', ')}`
        : required,
    },
  ];

  const worse: string[] = [];
  const compared: string[] = [];
  for (const m of policy.metrics) {
    const mine = candidate.metrics[m.name];
    const theirs = holder?.metrics[m.name];
    if (typeof mine !== 'number' || typeof theirs !== 'number') continue;
    const loss = m.higherIsBetter ? theirs - mine : mine - theirs;
    compared.push(m.name);
    if (loss > m.tolerance)
      worse.push(
        `${m.name} ${fmt(mine)} vs ${fmt(theirs)} (worse by ${fmt(
          loss,
        )}, tolerance ${fmt(m.tolerance)})`,
      );
  }
  let regression: string;
  if (!holder) regression = 'No version holds the alias yet';
  else if (worse.length)
    regression = `Worse than version ${holder.version}: ${worse.join('; ')}`;
  else if (compared.length)
    regression = `Within tolerance of version ${
      holder.version
    } on ${compared.join(', ')}`;
  else
    regression = `No configured metric to compare with version ${holder.version}`;
  gates.push({
    id: 'no-regression',
    title: 'No regression against the current holder',
    result: worse.length ? 'failed' : 'passed',
    detail: regression,
  });

  const threshold = QUALITY_GRADES.indexOf(policy.minTrainingGrade);
  const below = candidate.datasets.filter(
    d => !d.qualityGrade || QUALITY_GRADES.indexOf(d.qualityGrade) > threshold,
  );
  let quality: string;
  if (!candidate.datasets.length)
    quality =
      'No training dataset is known: nothing shows the data was healthy';
  else if (below.length)
    quality = below
      .map(
        d =>
          `${d.name} is ${
            d.qualityGrade ? `graded ${d.qualityGrade}` : 'not graded'
          }`,
      )
      .join('; ');
  else
    quality = `All ${candidate.datasets.length} training datasets graded ${policy.minTrainingGrade} or better`;
  gates.push({
    id: 'training-quality',
    title: `Training data graded ${policy.minTrainingGrade} or better`,
    result: below.length || !candidate.datasets.length ? 'failed' : 'passed',
    detail: quality,
  });

  const pii = candidate.classification === 'pii';
  gates.push({
    id: 'pii-steward',
    title: 'Training data with PII signed off by a steward',
    result: pii ? 'pending' : 'passed',
    detail: pii
      ? 'Trained on PII: a data steward signs off after the owners approve'
      : 'No PII in the training data',
  });
  return gates;
}
