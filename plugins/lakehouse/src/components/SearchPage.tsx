import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { FacetList } from './DatasetsPage/FacetList';

/** A facet of a search page: its query parameter, title and value labels. */
export interface FacetSpec<F extends string> {
  name: F;
  title: string;
  label?: (value: string) => string;
}

type Facets<F extends string> = Record<
  F,
  Array<{ value: string; count: number }>
>;

/**
 * The state of a search page kept in the URL (`q`, facets, `sort`), typed
 * words debounced into it, pages by cursor, and the last answer kept on
 * screen while the next one loads.
 */
export function useSearchPage<
  F extends string,
  R extends { facets: Facets<F>; nextCursor?: string },
>(options: {
  facets: Array<FacetSpec<F>>;
  pageSize: number;
  load: (query: Record<string, unknown>) => Promise<R>;
}) {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [cursors, setCursors] = useState<string[]>([]);
  const [shown, setShown] = useState<R>();
  const [generation, setGeneration] = useState(0);

  useDebounce(
    () => {
      if ((params.get('q') ?? '') === text) return;
      const next = new URLSearchParams(params);
      if (text) next.set('q', text);
      else next.delete('q');
      setParams(next, { replace: true });
    },
    250,
    [text],
  );

  const { facets, pageSize, load } = options;
  const query = useMemo(
    () => ({
      q: params.get('q') ?? undefined,
      ...Object.fromEntries(facets.map(f => [f.name, params.getAll(f.name)])),
      sort: params.get('sort') ?? undefined,
      limit: pageSize,
    }),
    [params, facets, pageSize],
  );
  useEffect(() => setCursors([]), [query]);
  const cursor = cursors[cursors.length - 1];
  // `load` is a new function each render: the query, page and reloads
  // decide when to fetch.
  const loadRef = useRef(load);
  loadRef.current = load;
  const result = useAsync(
    () => loadRef.current({ ...query, cursor }),
    [query, cursor, generation],
  );
  useEffect(() => {
    if (result.value) setShown(result.value);
  }, [result.value]);

  const setFacet = (name: F, values: string[]) => {
    const next = new URLSearchParams(params);
    next.delete(name);
    values.forEach(v => next.append(name, v));
    setParams(next, { replace: true });
  };
  const setSort = (sort: string) => {
    const next = new URLSearchParams(params);
    next.set('sort', sort);
    setParams(next, { replace: true });
  };
  return {
    params,
    text,
    setText,
    query,
    cursors,
    setCursors,
    shown,
    result,
    setFacet,
    setSort,
    reload: () => setGeneration(g => g + 1),
  };
}

/** The facets of a search page, with Clear filters when some are on. */
export function FacetSidebar<F extends string>(props: {
  facets: Array<FacetSpec<F>>;
  counts?: Facets<F>;
  params: URLSearchParams;
  setFacet: (name: F, values: string[]) => void;
}) {
  const on = props.facets.some(f => props.params.getAll(f.name).length > 0);
  return (
    <Box
      component="aside"
      aria-label="Filters"
      sx={{ width: 240, flexShrink: 0 }}
    >
      {props.facets.map(f => (
        <FacetList
          key={f.name}
          title={f.title}
          values={props.counts?.[f.name] ?? []}
          selected={props.params.getAll(f.name)}
          label={f.label}
          onChange={values => props.setFacet(f.name, values)}
        />
      ))}
      {on && (
        <Button
          size="small"
          onClick={() => props.facets.forEach(f => props.setFacet(f.name, []))}
        >
          Clear filters
        </Button>
      )}
    </Box>
  );
}

/** The search box and the sort menu (relevance only while words are typed). */
export function SearchControls(props: {
  text: string;
  setText: (text: string) => void;
  placeholder: string;
  label: string;
  sorts: Record<string, string>;
  sort: string;
  hasWords: boolean;
  setSort: (sort: string) => void;
}) {
  return (
    <Box sx={{ display: 'flex', gap: 2, mb: 2, alignItems: 'center' }}>
      <TextField
        fullWidth
        placeholder={props.placeholder}
        value={props.text}
        onChange={e => props.setText(e.target.value)}
        inputProps={{ 'aria-label': props.label }}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon />
            </InputAdornment>
          ),
        }}
      />
      <TextField
        select
        label="Sort"
        value={props.sort}
        onChange={e => props.setSort(e.target.value)}
        sx={{ minWidth: 180 }}
      >
        {Object.entries(props.sorts)
          .filter(([s]) => s !== 'relevance' || props.hasWords)
          .map(([s, label]) => (
            <MenuItem key={s} value={s}>
              {label}
            </MenuItem>
          ))}
      </TextField>
    </Box>
  );
}
