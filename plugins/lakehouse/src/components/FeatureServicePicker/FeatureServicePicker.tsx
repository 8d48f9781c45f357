import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FeatureAssetSummary } from '@lakeport/plugin-lakehouse-common';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';

const SEARCH_DELAY_MS = 250;

type Option = Pick<
  FeatureAssetSummary,
  'id' | 'name' | 'project' | 'classification' | 'featureCount'
>;

function optionFromId(id: string): Option {
  // featureservice:<registry>/<project>:<name>
  const name = id.slice(id.lastIndexOf(':') + 1);
  const namespace = id.slice(id.indexOf(':') + 1, id.lastIndexOf(':'));
  return {
    id,
    name,
    project: namespace.slice(namespace.indexOf('/') + 1),
    featureCount: 0,
  };
}

/**
 * `ui:field: LakehouseFeatureServicePicker`: Feast feature services by
 * search as you type over the Features API, each with its project, feature
 * count and classification. Value: feature service ids. A training
 * retrieves from one Feast project, so once one is picked only services of
 * its project are offered.
 */
export function FeatureServicePicker(
  props: FieldExtensionComponentProps<string[] | undefined>,
) {
  const { formData, onChange, schema, rawErrors, idSchema } = props;
  const api = useApi(lakehouseApiRef);
  const ids = formData ?? [];
  const [words, setWords] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [known, setKnown] = useState<Map<string, Option>>(new Map());
  const [loading, setLoading] = useState(false);
  const project = ids.length ? optionFromId(ids[0]).project : undefined;

  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .listFeatures({
          q: words || undefined,
          kind: ['featureservice'],
          project: project ? [project] : undefined,
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
  }, [api, words, project]);

  const optionOf = (id: string) =>
    known.get(id) ?? options.find(o => o.id === id) ?? optionFromId(id);

  return (
    <Box data-testid="lakehouse-feature-service-picker">
      <Autocomplete<Option, true>
        id={idSchema?.$id}
        multiple
        options={options}
        loading={loading}
        filterOptions={x => x}
        value={ids.map(optionOf)}
        isOptionEqualToValue={(a, b) => a.id === b.id}
        getOptionLabel={o => o.name}
        onInputChange={(_e, value, reason) => {
          if (reason === 'input') setWords(value);
        }}
        onChange={(_e, value) => {
          setKnown(m => {
            const next = new Map(m);
            value.forEach(v => next.set(v.id, v));
            return next;
          });
          onChange(value.map(v => v.id));
        }}
        renderOption={(optionProps, option) => (
          <li {...optionProps} key={option.id}>
            <Stack spacing={0.25} sx={{ py: 0.5 }}>
              <Typography variant="body2">
                {option.name}{' '}
                <Typography
                  component="span"
                  variant="caption"
                  color="text.secondary"
                >
                  Feast project {option.project} · {option.featureCount}{' '}
                  features
                </Typography>
              </Typography>
              {option.classification && (
                <Chip
                  size="small"
                  sx={{ alignSelf: 'flex-start' }}
                  label={option.classification}
                  color={
                    option.classification === 'pii' ||
                    option.classification === 'confidential'
                      ? 'warning'
                      : 'default'
                  }
                />
              )}
            </Stack>
          </li>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Feature services'}
            placeholder="Search feature services"
            error={!!rawErrors?.length}
            helperText={
              project
                ? `${
                    schema.description ?? ''
                  } Only services of the Feast project ${project}: a training reads one project.`.trim()
                : schema.description
            }
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
    </Box>
  );
}
