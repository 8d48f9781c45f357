import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  DatasetAccessView,
  DatasetSummary,
} from '@lakeport/plugin-lakehouse-common';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';

type Option = Pick<
  DatasetSummary,
  'id' | 'name' | 'title' | 'classification' | 'qualityGrade'
>;

const SEARCH_DELAY_MS = 250;

/** Classification, grade and (for picked ones) the caller's access. */
function DatasetFacts(props: { option: Option; access?: DatasetAccessView }) {
  const { option, access } = props;
  return (
    <Stack direction="row" spacing={0.5} alignItems="center">
      {option.classification && (
        <Chip
          size="small"
          label={option.classification}
          color={
            option.classification === 'pii' ||
            option.classification === 'confidential'
              ? 'warning'
              : 'default'
          }
        />
      )}
      <Chip
        size="small"
        variant="outlined"
        label={
          option.qualityGrade ? `grade ${option.qualityGrade}` : 'no grade'
        }
      />
      {access && (
        <Chip
          size="small"
          variant="outlined"
          color={access.access === 'unmasked' ? 'success' : 'warning'}
          label={
            access.access === 'unmasked'
              ? 'you read it unmasked'
              : `masked for you: ${access.maskedColumns.join(', ')}`
          }
        />
      )}
    </Stack>
  );
}

/**
 * `ui:field: LakehouseDatasetPicker`: datasets by search as you type over
 * the Datasets API, each with its classification and grade; picked ones
 * also say whether you read them unmasked (the template asks for access to
 * what is masked). Value: dataset ids (`ui:options.multiple`) or one id;
 * `ui:options.layer` offers only datasets of that layer (`stream`: topics).
 */
export function DatasetPicker(
  props: FieldExtensionComponentProps<
    string[] | string | undefined,
    { multiple?: boolean; layer?: string }
  >,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    required,
    rawErrors,
    idSchema,
  } = props;
  const api = useApi(lakehouseApiRef);
  const uiOptions = uiSchema?.['ui:options'] as
    | { multiple?: boolean; layer?: string }
    | undefined;
  const multiple = uiOptions?.multiple ?? schema.type === 'array';
  // `ui:options.layer` narrows the choice, e.g. `stream` for Kafka topics.
  const layer = uiOptions?.layer;
  const ids = useMemo(() => {
    if (Array.isArray(formData)) return formData;
    return formData ? [formData] : [];
  }, [formData]);
  const [words, setWords] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const [known, setKnown] = useState<Map<string, Option>>(new Map());
  const [access, setAccess] = useState<Map<string, DatasetAccessView>>(
    new Map(),
  );

  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .listDatasets({
          q: words || undefined,
          layer: layer ? [layer] : undefined,
          limit: 20,
        })
        .then(r => live && setOptions(r.items))
        .catch(() => live && setOptions([]))
        .finally(() => live && setLoading(false));
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, words, layer]);

  // Picked datasets (also those filled in from a link): their facts and
  // the caller's access, fetched once each.
  useEffect(() => {
    for (const id of ids) {
      if (!known.has(id))
        api
          .getDataset(id)
          .then(d => setKnown(m => new Map(m).set(id, d)))
          .catch(() => undefined);
      if (!access.has(id))
        api
          .getMyDatasetAccess(id)
          .then(a => setAccess(m => new Map(m).set(id, a)))
          .catch(() => undefined);
    }
  }, [api, ids, known, access]);

  const optionOf = (id: string): Option =>
    known.get(id) ??
    options.find(o => o.id === id) ?? {
      id,
      name: id.split(':').at(-1) ?? id,
      title: id.split(':').at(-1) ?? id,
    };
  const label = (o: Option) => o.title || o.name;

  return (
    <Box data-testid="lakehouse-dataset-picker">
      <Autocomplete<Option, boolean>
        id={idSchema?.$id}
        multiple={multiple}
        options={options}
        loading={loading}
        filterOptions={x => x}
        value={
          multiple ? ids.map(optionOf) : (ids[0] && optionOf(ids[0])) || null
        }
        isOptionEqualToValue={(a, b) => a.id === b.id}
        getOptionLabel={label}
        onInputChange={(_e, value, reason) => {
          if (reason === 'input') setWords(value);
        }}
        onChange={(_e, value) => {
          if (Array.isArray(value)) {
            setKnown(m => {
              const next = new Map(m);
              value.forEach(v => next.set(v.id, v));
              return next;
            });
            onChange(value.map(v => v.id));
          } else onChange(value?.id);
        }}
        renderOption={(optionProps, option) => (
          <li {...optionProps} key={option.id}>
            <Stack spacing={0.25} sx={{ py: 0.5 }}>
              <Typography variant="body2">
                {label(option)}{' '}
                <Typography
                  component="span"
                  variant="caption"
                  color="text.secondary"
                >
                  {option.name}
                </Typography>
              </Typography>
              <DatasetFacts option={option} />
            </Stack>
          </li>
        )}
        renderTags={(value, getTagProps) =>
          value.map((option, index) => (
            <Chip
              {...getTagProps({ index })}
              key={option.id}
              label={label(option)}
              data-testid={`picked-${option.id}`}
            />
          ))
        }
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Datasets'}
            placeholder="Search datasets by name, column or description"
            required={required && ids.length === 0}
            error={!!rawErrors?.length && ids.length === 0}
            helperText={schema.description}
            InputProps={{
              ...params.InputProps,
              endAdornment: (
                <>
                  {loading && <CircularProgress size={18} />}
                  {params.InputProps.endAdornment}
                </>
              ),
            }}
          />
        )}
      />
      {ids.length > 0 && (
        <Stack spacing={0.75} sx={{ mt: 1 }} data-testid="picked-datasets">
          {ids.map(id => (
            <Stack
              key={id}
              direction="row"
              spacing={1}
              alignItems="center"
              data-testid={`picked-dataset-${id}`}
            >
              <Typography variant="body2" sx={{ minWidth: 200 }}>
                {label(optionOf(id))}
              </Typography>
              <DatasetFacts option={optionOf(id)} access={access.get(id)} />
            </Stack>
          ))}
        </Stack>
      )}
    </Box>
  );
}
