import { FeatureAssetDetail } from '@lakeport/plugin-lakehouse-common';

const EXAMPLE: Record<string, string> = {
  INT64: '100001',
  INT32: '1',
  DOUBLE: '1.0',
  FLOAT: '1.0',
  BOOL: 'True',
};
const example = (type?: string) => EXAMPLE[type ?? ''] ?? '"…"';

/**
 * Python that reads this view's (or service's) features with Feast:
 * point-in-time correct training data and online values, with its feature
 * references, entity keys and request fields.
 */
export function featureSnippet(asset: FeatureAssetDetail): string {
  const service = asset.kind === 'featureservice';
  const refs = service
    ? asset.features.map(f => f.name)
    : asset.features.map(f => `${asset.name}:${f.name}`);
  const keys = [
    ...asset.entityKeys.map(k => ({ name: k.joinKey, type: k.type })),
    ...asset.requestFields,
  ];
  const featuresArg = service
    ? `store.get_feature_service("${asset.name}")`
    : 'features';
  const lines = [
    'from datetime import datetime, timezone',
    '',
    'import pandas as pd',
    'from feast import FeatureStore',
    '',
    `# The feature repository of project "${asset.project}" (its feature_store.yaml).`,
    'store = FeatureStore(repo_path=".")',
    '',
  ];
  if (!service) {
    lines.push('features = [', ...refs.map(r => `    "${r}",`), ']', '');
  }
  lines.push(
    '# Training data: point-in-time correct values for each entity row.',
    'entity_df = pd.DataFrame(',
    '    {',
    ...keys.map(k => `        "${k.name}": [${example(k.type)}],`),
    '        "event_timestamp": [datetime.now(timezone.utc)],',
    '    }',
    ')',
    'training_df = store.get_historical_features(',
    `    entity_df=entity_df, features=${featuresArg}`,
    ').to_df()',
  );
  if (asset.online !== false) {
    lines.push(
      '',
      '# Serving: the latest values from the online store.',
      'online = store.get_online_features(',
      `    features=${featuresArg},`,
      `    entity_rows=[{${keys
        .map(k => `"${k.name}": ${example(k.type)}`)
        .join(', ')}}],`,
      ').to_dict()',
    );
  } else {
    lines.push(
      '',
      '# Offline only: this view is not materialized to the online store.',
    );
  }
  return `${lines.join('\n')}\n`;
}
