import { useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ModelDetail,
  ModelVersionSummary,
  TrainingInput,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { ClassificationChip } from '../ClassificationChip';
import { GradeChip } from '../Quality/GradeChip';
import { errorMessage, formatAge, shortRef } from '../format';
import {
  MetricAcrossVersionsCharts,
  TrainingCurveCharts,
} from './MetricCharts';
import { PromotionsPanel } from './PromotionsPanel';
import { useComparedVersions, useModel } from './useModel';

const fmt = (v?: number) =>
  typeof v === 'number' ? Number(v.toPrecision(4)).toString() : '—';
const when = (ms?: number) => (ms ? new Date(ms).toLocaleString() : '—');

function Loaded(props: {
  children: (model: ModelDetail, reload: () => void) => JSX.Element;
}) {
  const [generation, setGeneration] = useState(0);
  const { value, loading, error } = useModel(generation);
  if (loading && !value) return <Progress />;
  if (error)
    return <ErrorPanel title="Could not load the model" error={error} />;
  if (!value) return <Typography>No model for this entity.</Typography>;
  return props.children(value, () => setGeneration(g => g + 1));
}

/** Description, owner and each alias with its version and how it got there. */
export function ModelOverviewContent() {
  return (
    <Loaded>
      {(model, reload) => <Overview model={model} reload={reload} />}
    </Loaded>
  );
}

function Overview({
  model,
  reload,
}: {
  model: ModelDetail;
  reload: () => void;
}) {
  const api = useApi(lakehouseApiRef);
  const [message, setMessage] = useState<string>();
  const moveBack = async (alias: string) => {
    try {
      const p = await api.revertAlias(model.id, alias);
      setMessage(
        p.status === 'promoted'
          ? `${alias} moved back to version ${p.version || '(unset)'}`
          : `Moving ${alias} back: ${p.lastError ?? p.status}`,
      );
      reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Typography variant="h5">{model.name}</Typography>
      {model.description && <Typography>{model.description}</Typography>}
      <Stack direction="row" spacing={3} alignItems="center">
        <Typography variant="body2">
          Owner:{' '}
          {model.owner ? (
            <EntityRefLink entityRef={model.owner} defaultKind="group" />
          ) : (
            'unknown'
          )}
        </Typography>
        <Typography variant="body2">MLflow server: {model.server}</Typography>
        <Typography variant="body2">
          {model.versionCount} versions, latest {model.latestVersion}
        </Typography>
        <ClassificationChip value={model.classification} />
      </Stack>
      {model.classification === 'pii' && (
        <Alert severity="warning">
          Trained on personal data: promotions need a data steward’s sign-off.
        </Alert>
      )}
      {message && <Alert severity="info">{message}</Alert>}
      {model.aliasStates
        .filter(a => a.ungoverned)
        .map(a => (
          <Alert
            key={a.alias}
            severity="warning"
            role="alert"
            aria-label={`Ungoverned change of ${a.alias}`}
            action={
              <Button size="small" onClick={() => moveBack(a.alias)}>
                Move back to{' '}
                {a.governedVersion ? `v${a.governedVersion}` : 'unset'}
              </Button>
            }
          >
            Ungoverned change: <strong>{a.alias}</strong> was moved in MLflow to{' '}
            {a.ungoverned!.version ? `v${a.ungoverned!.version}` : 'unset'}{' '}
            {formatAge(a.ungoverned!.seenAt)} without a promotion; Lakeport last
            set it to {a.governedVersion ? `v${a.governedVersion}` : 'unset'}.
            Move it back, or ask for a promotion of the new version.
          </Alert>
        ))}
      <Paper variant="outlined">
        <Table size="small" aria-label="Aliases">
          <TableHead>
            <TableRow>
              <TableCell>Alias</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Governed</TableCell>
              <TableCell>Set by</TableCell>
              <TableCell>When</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {model.aliasStates.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>No aliases</TableCell>
              </TableRow>
            )}
            {model.aliasStates.map(a => (
              <TableRow key={a.alias}>
                <TableCell>
                  <strong>{a.alias}</strong>
                </TableCell>
                <TableCell>
                  {a.version ? `version ${a.version}` : 'unset'}
                </TableCell>
                <TableCell>
                  {a.governed ? 'Through Lakeport' : 'Set in MLflow'}
                </TableCell>
                <TableCell>
                  {a.via === 'baseline' ? 'as first seen' : shortRef(a.setBy)}
                  {a.via === 'revert' ? ' (moved back)' : ''}
                </TableCell>
                <TableCell>{a.setAt ? formatAge(a.setAt) : '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** Every version with aliases, status, creator, key metrics and training grade; pick some to compare. */
export function ModelVersionsContent() {
  return <Loaded>{model => <Versions model={model} />}</Loaded>;
}

function Versions({ model }: { model: ModelDetail }) {
  const navigate = useNavigate();
  const all = model.versions.map(v => v.version);
  const { selected, setSelected } = useComparedVersions(all);
  const [picked, setPicked] = useState<string[]>(selected);
  const metrics = model.keyMetrics.slice(0, 4);
  const toggle = (v: string) =>
    setPicked(p => (p.includes(v) ? p.filter(x => x !== v) : [...p, v]));
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} alignItems="center">
        <Button
          variant="contained"
          disabled={picked.length < 2}
          onClick={() => {
            setSelected(picked);
            navigate(`../compare?versions=${picked.join(',')}`, {
              relative: 'path',
            });
          }}
        >
          Compare {picked.length} versions
        </Button>
        <Typography variant="body2" color="text.secondary">
          Select two or more versions.
        </Typography>
      </Stack>
      <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Versions">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Version</TableCell>
              <TableCell>Aliases</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Created by</TableCell>
              <TableCell>Created</TableCell>
              {metrics.map(m => (
                <TableCell key={m} align="right">
                  {m}
                </TableCell>
              ))}
              <TableCell>Training data</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {model.versions.map(v => (
              <TableRow key={v.version} hover>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={picked.includes(v.version)}
                    onChange={() => toggle(v.version)}
                    inputProps={{ 'aria-label': `Select version ${v.version}` }}
                  />
                </TableCell>
                <TableCell>v{v.version}</TableCell>
                <TableCell>
                  {v.aliases.map(a => (
                    <Chip key={a} size="small" label={a} sx={{ mr: 0.5 }} />
                  ))}
                </TableCell>
                <TableCell>{v.status ?? '—'}</TableCell>
                <TableCell>{v.creator ?? '—'}</TableCell>
                <TableCell>{when(v.createdAt)}</TableCell>
                {metrics.map(m => (
                  <TableCell key={m} align="right">
                    {fmt(v.metrics[m])}
                  </TableCell>
                ))}
                <TableCell>
                  <Stack direction="row" spacing={0.5}>
                    <GradeChip grade={v.trainingGrade} />
                    <ClassificationChip value={v.classification} />
                  </Stack>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
    </Stack>
  );
}

/** Metrics side by side, each metric across versions on a chart, training curves, and what differs. */
export function ModelCompareContent() {
  return <Loaded>{model => <Compare model={model} />}</Loaded>;
}

function Compare({ model }: { model: ModelDetail }) {
  const all = model.versions.map(v => v.version);
  const { selected, setSelected } = useComparedVersions(all);
  const versions = model.versions
    .filter(v => selected.includes(v.version))
    .sort((a, b) => Number(a.version) - Number(b.version));
  const metrics = model.keyMetrics.filter(m =>
    versions.some(v => typeof v.metrics[m] === 'number'),
  );
  const differing = (
    get: (v: ModelVersionSummary) => Record<string, string>,
  ) => {
    const keys = [
      ...new Set(versions.flatMap(v => Object.keys(get(v)))),
    ].sort();
    return keys.filter(
      k => new Set(versions.map(v => get(v)[k] ?? '—')).size > 1,
    );
  };
  const paramKeys = differing(v => v.params);
  const signature = (v: ModelVersionSummary) =>
    Object.fromEntries(
      (v.signature?.inputs ?? []).map(c => [c.name, c.type] as const),
    );
  const signatureKeys = differing(signature);
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} alignItems="center" flexWrap="wrap">
        <Typography variant="body2">Versions:</Typography>
        {all
          .slice()
          .sort((a, b) => Number(a) - Number(b))
          .map(v => (
            <Chip
              key={v}
              label={`v${v}`}
              color={selected.includes(v) ? 'primary' : 'default'}
              variant={selected.includes(v) ? 'filled' : 'outlined'}
              onClick={() =>
                setSelected(
                  selected.includes(v)
                    ? selected.filter(x => x !== v)
                    : [...selected, v],
                )
              }
              aria-pressed={selected.includes(v)}
            />
          ))}
      </Stack>
      <Typography variant="h6">Metrics across versions</Typography>
      <MetricAcrossVersionsCharts versions={versions} metrics={metrics} />
      <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Metrics side by side">
          <TableHead>
            <TableRow>
              <TableCell>Metric</TableCell>
              {versions.map(v => (
                <TableCell key={v.version} align="right">
                  v{v.version}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {metrics.map(m => (
              <TableRow key={m}>
                <TableCell>{m}</TableCell>
                {versions.map(v => (
                  <TableCell key={v.version} align="right">
                    {fmt(v.metrics[m])}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            <TableRow>
              <TableCell>training data grade</TableCell>
              {versions.map(v => (
                <TableCell key={v.version} align="right">
                  <GradeChip grade={v.trainingGrade} />
                </TableCell>
              ))}
            </TableRow>
          </TableBody>
        </Table>
      </Paper>
      <TrainingCurveCharts versions={versions} />
      <Typography variant="h6">Params that differ</Typography>
      <DiffTable
        label="Params that differ"
        keys={paramKeys}
        versions={versions}
        value={(v, k) => v.params[k]}
      />
      <Typography variant="h6">Signatures that differ</Typography>
      <DiffTable
        label="Signature inputs that differ"
        keys={signatureKeys}
        versions={versions}
        value={(v, k) => signature(v)[k]}
      />
    </Stack>
  );
}

function DiffTable(props: {
  label: string;
  keys: string[];
  versions: ModelVersionSummary[];
  value: (v: ModelVersionSummary, key: string) => string | undefined;
}) {
  if (!props.keys.length)
    return (
      <Typography variant="body2" color="text.secondary">
        The same in every selected version.
      </Typography>
    );
  return (
    <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            <TableCell />
            {props.versions.map(v => (
              <TableCell key={v.version}>v{v.version}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.keys.map(k => (
            <TableRow key={k}>
              <TableCell>{k}</TableCell>
              {props.versions.map(v => (
                <TableCell key={v.version}>
                  {props.value(v, k) ?? '—'}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

const INPUT_KINDS: Record<TrainingInput['kind'], string> = {
  dataset: 'Dataset',
  featureservice: 'Feature service',
  featureview: 'Feature view',
};

const ACCESS_LABELS: Record<string, string> = {
  full: 'You see it unmasked',
  masked: 'Masked for you',
  requested: 'Access requested',
};

/** Datasets and features each version was trained on, with grade, classification and your access. */
export function ModelTrainingDataContent() {
  const api = useApi(lakehouseApiRef);
  const { id } = useModel();
  const { value, loading, error } = useAsync(
    async () => (id ? api.getModelTrainingData(id) : undefined),
    [api, id],
  );
  if (loading) return <Progress />;
  if (error)
    return <ErrorPanel title="Could not load training data" error={error} />;
  if (!value) return null;
  return (
    <Stack spacing={2} sx={{ p: 2 }}>
      {value.versions.map(v => (
        <Paper key={v.version} variant="outlined">
          <Typography variant="h6" sx={{ px: 2, pt: 1 }}>
            Version {v.version}
          </Typography>
          <Table
            size="small"
            aria-label={`Training data of version ${v.version}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Trained on</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Quality</TableCell>
                <TableCell>Classification</TableCell>
                <TableCell>Your access</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {v.inputs.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>
                    MLflow knows no training data of this version.
                  </TableCell>
                </TableRow>
              )}
              {v.inputs.map(i => (
                <TrainingRow key={i.id} input={i} />
              ))}
            </TableBody>
          </Table>
        </Paper>
      ))}
    </Stack>
  );
}

function TrainingRow({ input: i }: { input: TrainingInput }) {
  const entity = i.entityRef?.split('/')[1];
  return (
    <TableRow>
      <TableCell>
        {i.entityRef ? (
          <EntityRefLink entityRef={i.entityRef} title={i.name} />
        ) : (
          i.name
        )}
        {i.columns && (
          <Typography variant="caption" component="div" color="text.secondary">
            columns: {i.columns.join(', ')}
            {i.via ? ` · through ${i.via.split(':').at(-1)}` : ''}
          </Typography>
        )}
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{INPUT_KINDS[i.kind]}</TableCell>
      <TableCell>
        <GradeChip grade={i.qualityGrade} score={i.qualityScore} />
      </TableCell>
      <TableCell>
        <ClassificationChip value={i.classification} />
      </TableCell>
      <TableCell>
        {i.access && (
          <Stack direction="row" spacing={1} alignItems="center">
            <Chip
              size="small"
              color={i.access === 'full' ? 'success' : 'warning'}
              variant="outlined"
              label={ACCESS_LABELS[i.access]}
            />
            {i.access === 'masked' && entity && (
              <Link
                component={RouterLink}
                to={`/catalog/default/resource/${entity}/access`}
              >
                Ask for access
              </Link>
            )}
          </Stack>
        )}
      </TableCell>
    </TableRow>
  );
}

/** Promotions: ask, decide, and the history with its audit. */
export function ModelPromotionsContent() {
  return (
    <Loaded>
      {(model, reload) => <PromotionsPanel model={model} onChange={reload} />}
    </Loaded>
  );
}
