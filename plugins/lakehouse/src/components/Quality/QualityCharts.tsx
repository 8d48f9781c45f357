import {
  QualityCheckStatus,
  QualityScorecard,
} from '@lakeport/plugin-lakehouse-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const STATUS_COLORS: Record<QualityCheckStatus, string> = {
  passed: '#2e7d32',
  failed: '#c62828',
  error: '#9e9e9e',
};

const day = (iso: string) =>
  new Date(iso).toLocaleString('en', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** Score per run, with the grade boundaries. */
export function ScoreTrendChart({
  history,
}: {
  history: QualityScorecard['history'];
}) {
  const data = history.map(h => ({ ...h, label: day(h.at) }));
  return (
    <ResponsiveContainer width="100%" height={180}>
      <LineChart
        data={data}
        margin={{ top: 8, right: 16, bottom: 0, left: -16 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} />
        <YAxis
          domain={[0, 100]}
          ticks={[0, 60, 70, 80, 90, 100]}
          tick={{ fontSize: 11 }}
        />
        <ReferenceLine y={90} stroke="#2e7d32" strokeDasharray="4 4" />
        <ReferenceLine y={60} stroke="#c62828" strokeDasharray="4 4" />
        <Tooltip
          formatter={(value: any, _n: any, item: any) => [
            `${value} (${item.payload.grade}, ${item.payload.source})`,
            'score',
          ]}
        />
        <Line
          type="monotone"
          dataKey="score"
          stroke="#1565c0"
          strokeWidth={2}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** One bar per run of a check, coloured by its status (oldest left). */
export function CheckSparkline({
  history,
}: {
  history: Array<{ at: string; status: QualityCheckStatus }>;
}) {
  const data = history.map(h => ({ ...h, value: 1 }));
  return (
    <BarChart
      width={Math.max(24, data.length * 7)}
      height={18}
      data={data}
      margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
      barCategoryGap={1}
      aria-label={`history: ${history.map(h => h.status).join(', ')}`}
    >
      <Bar dataKey="value" isAnimationActive={false}>
        {data.map((d, i) => (
          <Cell key={i} fill={STATUS_COLORS[d.status]} />
        ))}
      </Bar>
    </BarChart>
  );
}
