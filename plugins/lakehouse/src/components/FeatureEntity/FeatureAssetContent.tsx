import { CodeSnippet, ErrorPanel, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  FeatureAssetDetail,
  FeatureFreshness,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ReactElement, useState } from 'react';
import { ClassificationChip } from '../ClassificationChip';
import { KIND_LABELS, OwnerLink } from '../FeaturesPage/featureLabels';
import { GradeChip } from '../Quality/GradeChip';
import { formatAge } from '../format';
import { templateLink } from '../templateLink';
import { Link as RouterLink } from 'react-router-dom';
import { FeatureAccessDialog } from './FeatureAccessDialog';
import { useFeatureAsset } from './useFeatureAsset';
import { featureSnippet } from './featureSnippet';

function States(props: { children: (a: FeatureAssetDetail) => ReactElement }) {
  const { id, loading, error, value } = useFeatureAsset();
  if (!id)
    return (
      <Typography sx={{ p: 2 }}>
        This entity is not linked to a feature-store asset.
      </Typography>
    );
  if (loading) return <Progress />;
  if (error)
    return (
      <ErrorPanel title="Could not load the feature asset" error={error} />
    );
  return value ? props.children(value) : <Progress />;
}

const duration = (seconds?: number) => {
  if (seconds === undefined) return '—';
  if (seconds === 0) return 'no TTL';
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
};

const FRESHNESS_COLORS = {
  fresh: 'success',
  stale: 'warning',
  never: 'warning',
  'not-online': 'default',
} as const;

const onlineLabel = (online?: boolean) => {
  if (online === undefined) return 'computed on request';
  return online ? 'yes' : 'no (offline only)';
};

function FreshnessChip(props: { freshness?: FeatureFreshness }) {
  const f = props.freshness;
  if (!f) return <>—</>;
  const label = {
    fresh: 'fresh',
    stale: 'stale',
    never: 'never materialized',
    'not-online': 'offline only',
  }[f.status];
  return (
    <Chip
      size="small"
      label={label}
      color={FRESHNESS_COLORS[f.status]}
      aria-label={`freshness ${label}`}
    />
  );
}

function Facts(props: { rows: Array<[string, React.ReactNode]> }) {
  return (
    <Table size="small">
      <TableBody>
        {props.rows.map(([k, v]) => (
          <TableRow key={k}>
            <TableCell component="th" sx={{ width: 220, fontWeight: 600 }}>
              {k}
            </TableCell>
            <TableCell>{v}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Overview tab: what it is, who owns it, how fresh it is, whether it carries PII. */
export function FeatureOverviewContent() {
  const [asking, setAsking] = useState(false);
  return (
    <States>
      {a => (
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Stack spacing={2}>
            <Stack direction="row" alignItems="center" spacing={2}>
              <Typography variant="h6" sx={{ flex: 1 }}>
                {KIND_LABELS[a.type ?? a.kind] ?? KIND_LABELS[a.kind]} {a.name}
              </Typography>
              {a.kind === 'featureservice' && (
                <Button
                  variant="outlined"
                  component={RouterLink}
                  to={templateLink('ml-training-project', {
                    featureServices: [a.id],
                  })}
                >
                  Train a model with this
                </Button>
              )}
              <Button variant="outlined" onClick={() => setAsking(true)}>
                Request access
              </Button>
            </Stack>
            {asking && (
              <FeatureAccessDialog
                asset={a}
                open={asking}
                onClose={() => setAsking(false)}
              />
            )}
            {a.description && <Typography>{a.description}</Typography>}
            {a.classification === 'pii' && (
              <Alert severity="warning">
                Derived from personal data: at least one feature is computed
                from a PII column (see the Features tab). Access to the sources
                it reads goes through a steward.
              </Alert>
            )}
            <Facts
              rows={[
                ['Owner', <OwnerLink asset={a} />],
                ['Feast owner', a.ownerEmail ?? '—'],
                ['Project', `${a.registry} / ${a.project}`],
                ['Entities', a.entities.join(', ') || '—'],
                [
                  'Classification',
                  <ClassificationChip value={a.classification} />,
                ],
                ...(a.kind === 'featureview'
                  ? ([
                      ['Online', onlineLabel(a.online)],
                      ['TTL', duration(a.ttlSeconds)],
                      [
                        'Freshness',
                        <Stack direction="row" spacing={1} alignItems="center">
                          <FreshnessChip freshness={a.freshness} />
                          {a.freshness?.materializedUntil && (
                            <Typography variant="body2">
                              materialized up to{' '}
                              {new Date(
                                a.freshness.materializedUntil,
                              ).toLocaleString()}{' '}
                              ({formatAge(a.freshness.materializedUntil)}, TTL{' '}
                              {duration(a.freshness.ttlSeconds)})
                            </Typography>
                          )}
                        </Stack>,
                      ],
                    ] as Array<[string, React.ReactNode]>)
                  : []),
                ['Source quality', <GradeChip grade={a.qualityGrade} />],
                ['Domain', a.domain ?? '—'],
                [
                  'Tags',
                  Object.entries(a.tags)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(' · ') || '—',
                ],
              ]}
            />
          </Stack>
        </Paper>
      )}
    </States>
  );
}

/** Features tab: each feature with type, description, derived classification and source column. */
export function FeatureFeaturesContent() {
  return (
    <States>
      {a => (
        <Paper variant="outlined">
          <Table size="small" aria-label="Features">
            <TableHead>
              <TableRow>
                <TableCell>Feature</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Description</TableCell>
                <TableCell>Classification</TableCell>
                <TableCell>Computed from</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {a.features.map(f => (
                <TableRow key={f.name} data-testid={`feature-${f.name}`}>
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {f.name}
                  </TableCell>
                  <TableCell>{f.type ?? '—'}</TableCell>
                  <TableCell>{f.description ?? '—'}</TableCell>
                  <TableCell>
                    <ClassificationChip value={f.classification} />
                  </TableCell>
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {f.source
                      ? `${f.source.id.split(':').slice(-1)[0]}.${
                          f.source.column
                        }`
                      : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </States>
  );
}

/** Sources tab: the lakehouse datasets (with grade) or views it reads. */
export function FeatureSourcesContent() {
  return (
    <States>
      {a => (
        <Stack spacing={2}>
          {a.sources.map(s => (
            <Paper key={`${s.name}-${s.type}`} variant="outlined" sx={{ p: 2 }}>
              <Typography variant="subtitle1">
                {s.name} <Chip size="small" label={s.type} />
              </Typography>
              {s.location && (
                <Typography variant="body2" sx={{ fontFamily: 'monospace' }}>
                  {s.location}
                </Typography>
              )}
              {s.dataset ? (
                <Stack
                  direction="row"
                  spacing={1}
                  alignItems="center"
                  sx={{ mt: 1 }}
                >
                  <Typography variant="body2">Lakehouse dataset:</Typography>
                  {s.dataset.entityRef ? (
                    <EntityRefLink
                      entityRef={s.dataset.entityRef}
                      title={s.dataset.title ?? s.dataset.id}
                    />
                  ) : (
                    <Typography variant="body2">
                      {s.dataset.id} (not in the catalog)
                    </Typography>
                  )}
                  <GradeChip
                    grade={s.dataset.qualityGrade}
                    score={s.dataset.qualityScore}
                  />
                </Stack>
              ) : null}
              {s.fieldMapping && (
                <Typography variant="body2" sx={{ mt: 1 }}>
                  Renamed columns:{' '}
                  {Object.entries(s.fieldMapping)
                    .map(([col, feat]) => `${col} → ${feat}`)
                    .join(', ')}
                </Typography>
              )}
            </Paper>
          ))}
          {a.views.length > 0 && (
            <Paper variant="outlined" sx={{ p: 2 }}>
              <Typography variant="subtitle1">Feature views</Typography>
              {a.views.map(v => (
                <Typography key={v.id} variant="body2">
                  <strong>{v.name}</strong>: {v.features.join(', ')}
                </Typography>
              ))}
            </Paper>
          )}
        </Stack>
      )}
    </States>
  );
}

/** Used by tab: feature services (and later models) that use it. */
export function FeatureUsedByContent() {
  return (
    <States>
      {a =>
        a.usedBy.length ? (
          <Paper variant="outlined">
            <Table size="small" aria-label="Used by">
              <TableBody>
                {a.usedBy.map(u => (
                  <TableRow key={u.id}>
                    <TableCell>{KIND_LABELS[u.kind] ?? u.kind}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace' }}>
                      {u.name}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Paper>
        ) : (
          <Typography sx={{ p: 2 }}>Nothing uses it yet.</Typography>
        )
      }
    </States>
  );
}

/** Use it tab: Python to read these features with Feast, ready to copy. */
export function FeatureUseItContent() {
  const [copied, setCopied] = useState(false);
  return (
    <States>
      {a => {
        const code = featureSnippet(a);
        return (
          <Stack spacing={1}>
            <Stack direction="row" spacing={1} alignItems="center">
              <Button
                variant="contained"
                size="small"
                onClick={async () => {
                  await window.navigator.clipboard?.writeText(code);
                  setCopied(true);
                }}
              >
                Copy snippet
              </Button>
              {copied && (
                <Typography variant="body2" role="status">
                  Copied to the clipboard
                </Typography>
              )}
            </Stack>
            <CodeSnippet language="python" text={code} showLineNumbers />
          </Stack>
        );
      }}
    </States>
  );
}
