import { QualityGrade, QualityHealth } from '@lakeport/plugin-lakehouse-common';
import Chip from '@mui/material/Chip';

export const GRADE_COLORS: Record<QualityGrade, string> = {
  A: '#2e7d32',
  B: '#689f38',
  C: '#f9a825',
  D: '#ef6c00',
  F: '#c62828',
};

/** A letter grade as a coloured chip; "—" before the first run. */
export function GradeChip(props: {
  grade?: QualityGrade;
  score?: number;
  size?: 'small' | 'medium';
}) {
  const { grade, score, size = 'small' } = props;
  if (!grade) return <span aria-label="no grade">—</span>;
  return (
    <Chip
      size={size}
      label={score === undefined ? grade : `${grade} · ${Math.round(score)}`}
      aria-label={`grade ${grade}`}
      sx={{ bgcolor: GRADE_COLORS[grade], color: '#fff', fontWeight: 700 }}
    />
  );
}

const HEALTH_COLORS: Record<QualityHealth, 'error' | 'success' | 'default'> = {
  failing: 'error',
  passing: 'success',
  unknown: 'default',
};

export function HealthChip({ health }: { health: QualityHealth }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      color={HEALTH_COLORS[health]}
      label={health === 'unknown' ? 'not checked yet' : health}
    />
  );
}
