import { ColumnClassification } from '@lakeport/plugin-lakehouse-common';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';

const short = (id: string) => id.replace(/^(dataset|job):[^:]*:/, '');

/** What lineage says about a column's classification, and where from. */
export function LineageClassification(props: { value?: ColumnClassification }) {
  const c = props.value;
  if (!c) return null;
  const from = c.sources
    .map(
      s =>
        `${
          c.derived === s.classification ? '' : `${s.classification} `
        }from ${short(s.node)}.${s.column}${
          s.via.length ? ` via ${s.via.map(short).join(', ')}` : ''
        }`,
    )
    .join('; ');
  const removed = c.removedBy
    .map(
      r =>
        `${r.classification} of ${short(r.node)}.${r.column} removed: ${
          r.reason
        }${r.job ? ` in ${short(r.job)}` : ''}`,
    )
    .join('; ');
  if (c.status === 'derived' || c.status === 'confirmed') {
    return (
      <Tooltip title={from}>
        <Chip
          size="small"
          variant="outlined"
          color={c.status === 'confirmed' ? 'success' : 'error'}
          label={
            c.status === 'confirmed'
              ? `confirmed by lineage`
              : `derived ${c.derived}`
          }
          data-testid={`lineage-classification-${c.column}`}
        />
      </Tooltip>
    );
  }
  if (c.status === 'overridden') {
    return (
      <Tooltip
        title={`Lineage derives ${c.derived} (${from}); the contract declares ${
          c.declared
        }.${
          c.override
            ? ` Override recorded ${new Date(
                c.override.recordedAt,
              ).toLocaleString()}.`
            : ''
        }`}
      >
        <Chip
          size="small"
          variant="outlined"
          color="warning"
          label={`overrides derived ${c.derived}`}
          data-testid={`lineage-classification-${c.column}`}
        />
      </Tooltip>
    );
  }
  if (c.removedBy.length) {
    return (
      <Tooltip title={removed}>
        <Chip
          size="small"
          variant="outlined"
          label={`${c.removedBy[0].classification} removed upstream`}
          data-testid={`lineage-classification-${c.column}`}
        />
      </Tooltip>
    );
  }
  return null;
}
