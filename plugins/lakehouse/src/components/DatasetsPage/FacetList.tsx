import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import Button from '@mui/material/Button';

const SHOWN = 8;

/** One facet: values with counts, several can be ticked (OR). */
export function FacetList(props: {
  title: string;
  values: Array<{ value: string; count: number }>;
  selected: string[];
  label?: (value: string) => string;
  onChange: (selected: string[]) => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const { values, selected } = props;
  // Keep ticked values visible even when the current query has none of them.
  const all = [
    ...values,
    ...selected
      .filter(s => !values.some(v => v.value === s))
      .map(value => ({ value, count: 0 })),
  ];
  const shown = expanded ? all : all.slice(0, SHOWN);
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2 }}>
      <Typography component="legend" variant="overline">
        {props.title}
      </Typography>
      {all.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          none
        </Typography>
      )}
      {shown.map(({ value, count }) => (
        <FormControlLabel
          key={value}
          sx={{ display: 'flex', mr: 0 }}
          control={
            <Checkbox
              size="small"
              checked={selected.includes(value)}
              onChange={(_, checked) =>
                props.onChange(
                  checked
                    ? [...selected, value]
                    : selected.filter(s => s !== value),
                )
              }
            />
          }
          label={
            <Typography variant="body2">
              {props.label ? props.label(value) : value}{' '}
              <Typography
                component="span"
                variant="body2"
                color="text.secondary"
              >
                ({count})
              </Typography>
            </Typography>
          }
        />
      ))}
      {all.length > SHOWN && (
        <Button size="small" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer' : `Show all ${all.length}`}
        </Button>
      )}
    </Box>
  );
}
