import { ModelVersionSummary } from '@lakeport/plugin-lakehouse-common';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const COLORS = [
  '#1565c0',
  '#c62828',
  '#2e7d32',
  '#ef6c00',
  '#6a1b9a',
  '#00838f',
  '#5d4037',
  '#ad1457',
];

const round = (v: number) => Number(v.toPrecision(4));

/** One chart per metric: its value in each version, in version order. */
export function MetricAcrossVersionsCharts(props: {
  versions: ModelVersionSummary[];
  metrics: string[];
}) {
  const ordered = [...props.versions].sort(
    (a, b) => Number(a.version) - Number(b.version),
  );
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
        gap: 2,
      }}
    >
      {props.metrics.map(metric => {
        const data = ordered
          .filter(v => typeof v.metrics[metric] === 'number')
          .map(v => ({
            version: `v${v.version}`,
            value: round(v.metrics[metric]),
          }));
        return (
          <Paper
            key={metric}
            variant="outlined"
            sx={{ p: 1 }}
            role="figure"
            aria-label={`${metric} across versions`}
          >
            <Typography variant="subtitle2" sx={{ px: 1 }}>
              {metric}
            </Typography>
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={data}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="version" />
                <YAxis domain={['auto', 'auto']} width={60} />
                <Tooltip />
                <Line
                  type="linear"
                  dataKey="value"
                  name={metric}
                  stroke={COLORS[0]}
                  strokeWidth={2}
                  isAnimationActive={false}
                  dot={{ r: 4 }}
                />
              </LineChart>
            </ResponsiveContainer>
          </Paper>
        );
      })}
    </Box>
  );
}

/** Training curves: a metric over steps, one line per version. */
export function TrainingCurveCharts(props: {
  versions: ModelVersionSummary[];
}) {
  const metrics = [
    ...new Set(props.versions.flatMap(v => Object.keys(v.metricHistory))),
  ].sort();
  if (!metrics.length) return null;
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))',
        gap: 2,
      }}
    >
      {metrics.map(metric => {
        const withCurve = props.versions.filter(
          v => v.metricHistory[metric]?.length,
        );
        const steps = [
          ...new Set(
            withCurve.flatMap(v => v.metricHistory[metric].map(p => p.step)),
          ),
        ].sort((a, b) => a - b);
        const data = steps.map(step => ({
          step,
          ...Object.fromEntries(
            withCurve.map(v => [
              `v${v.version}`,
              v.metricHistory[metric].find(p => p.step === step)?.value,
            ]),
          ),
        }));
        return (
          <Paper
            key={metric}
            variant="outlined"
            sx={{ p: 1 }}
            role="figure"
            aria-label={`${metric} by step`}
          >
            <Typography variant="subtitle2" sx={{ px: 1 }}>
              {metric} by step
            </Typography>
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={data}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="step" />
                <YAxis domain={['auto', 'auto']} width={60} />
                <Tooltip />
                <Legend />
                {withCurve.map((v, i) => (
                  <Line
                    key={v.version}
                    type="monotone"
                    dataKey={`v${v.version}`}
                    stroke={COLORS[i % COLORS.length]}
                    isAnimationActive={false}
                    connectNulls
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </Paper>
        );
      })}
    </Box>
  );
}
