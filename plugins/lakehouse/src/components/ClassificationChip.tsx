import Chip from '@mui/material/Chip';
import { Classification } from '@lakeport/plugin-lakehouse-common';
import { CLASSIFICATION_COLORS } from './format';

/** A classification as a coloured badge; PII stands out. */
export function ClassificationChip(props: {
  value?: Classification;
  size?: 'small' | 'medium';
}) {
  if (!props.value) return null;
  return (
    <Chip
      size={props.size ?? 'small'}
      label={props.value === 'pii' ? 'PII' : props.value}
      color={CLASSIFICATION_COLORS[props.value]}
      variant={props.value === 'public' ? 'outlined' : 'filled'}
      data-testid={`classification-${props.value}`}
    />
  );
}
