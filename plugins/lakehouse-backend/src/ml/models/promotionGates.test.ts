import { evaluateGates, PromotionPolicy } from './promotionGates';

const policy: PromotionPolicy = {
  governedAliases: ['champion'],
  requiredMetrics: ['accuracy', 'roc_auc'],
  metrics: [
    { name: 'roc_auc', higherIsBetter: true, tolerance: 0.02 },
    { name: 'rmse', higherIsBetter: false, tolerance: 0.1 },
  ],
  minTrainingGrade: 'C',
};
const dataset = (name: string, grade?: 'A' | 'B' | 'C' | 'D' | 'F') => ({
  id: `dataset:lakeport:${name}`,
  kind: 'dataset' as const,
  name,
  qualityGrade: grade,
});
const result = (gates: ReturnType<typeof evaluateGates>) =>
  Object.fromEntries(gates.map(g => [g.id, g.result]));

describe('evaluateGates', () => {
  const holder = {
    version: '1',
    metrics: { accuracy: 0.9, roc_auc: 0.8, rmse: 1.0 },
    datasets: [dataset('a', 'A')],
  };

  it('passes a version as good as the holder, on healthy data without PII', () => {
    const gates = evaluateGates(
      policy,
      {
        version: '2',
        metrics: { accuracy: 0.91, roc_auc: 0.79, rmse: 1.05 },
        datasets: [dataset('a', 'A'), dataset('b', 'C')],
        classification: 'confidential',
      },
      holder,
    );
    expect(result(gates)).toEqual({
      'required-metrics': 'passed',
      'no-regression': 'passed',
      'training-quality': 'passed',
      'pii-steward': 'passed',
    });
  });

  it('fails missing metrics, regressions beyond tolerance in either direction, and poor or ungraded data', () => {
    const gates = evaluateGates(
      policy,
      {
        version: '3',
        metrics: { roc_auc: 0.7, rmse: 1.2 },
        datasets: [dataset('a', 'A'), dataset('web', 'D'), dataset('new')],
      },
      holder,
    );
    expect(result(gates)).toMatchObject({
      'required-metrics': 'failed',
      'no-regression': 'failed',
      'training-quality': 'failed',
    });
    const detail = (id: string) => gates.find(g => g.id === id)!.detail;
    expect(detail('required-metrics')).toBe('Version 3 has no accuracy');
    expect(detail('no-regression')).toMatch(
      /roc_auc 0\.7 vs 0\.8.*rmse 1\.2 vs 1/,
    );
    expect(detail('training-quality')).toBe(
      'web is graded D; new is not graded',
    );
  });

  it('asks a steward for PII, and has nothing to compare without a holder', () => {
    const gates = evaluateGates(policy, {
      version: '1',
      metrics: { accuracy: 0.5, roc_auc: 0.5 },
      datasets: [dataset('customers', 'B')],
      classification: 'pii',
    });
    expect(result(gates)).toMatchObject({
      'no-regression': 'passed',
      'pii-steward': 'pending',
    });
    expect(gates.find(g => g.id === 'no-regression')!.detail).toBe(
      'No version holds the alias yet',
    );
  });

  it('does not take an unknown training set as healthy', () => {
    const gates = evaluateGates(policy, {
      version: '1',
      metrics: { accuracy: 1, roc_auc: 1 },
      datasets: [],
    });
    expect(result(gates)['training-quality']).toBe('failed');
  });
});
