import {
  Background,
  Controls,
  Edge,
  Handle,
  MarkerType,
  MiniMap,
  Node,
  NodeProps,
  Position,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useApi } from '@backstage/frontend-plugin-api';
import { ErrorPanel, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  ColumnLineageEdge,
  ColumnLineageResponse,
  LineageDirection,
  LineageNode,
} from '@lakeport/plugin-lakehouse-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { ClassificationChip } from '../ClassificationChip';
import {
  collapse,
  expand,
  fromResponse,
  GraphState,
  groupCrowdedColumns,
  keptInView,
  HiddenGroup,
} from './graphModel';
import { layout, rankedLayout } from './layout';
import { NodeDetails } from './NodeDetails';

/** Nodes fetched at most; past it the API says truncated and we say so. */
export const NODE_LIMIT = 500;
const DATASET_SIZE = { width: 250, height: 74 };
const JOB_SIZE = { width: 230, height: 68 };
const COLUMN_ROW = 22;
/** Above this many nodes, place by distance from the root (instant). */
const LAYERED_LAYOUT_LIMIT = 150;

/** Column of a node: datasets on even ranks, the jobs between on odd ones. */
function rankOf(n: LineageNode): number {
  if (n.side === 'root') return 0;
  const rank = n.kind === 'job' ? n.depth * 2 - 1 : n.depth * 2;
  return n.side === 'upstream' ? -rank : rank;
}

const KIND_LABELS: Record<string, string> = {
  featureview: 'feature view',
  featureservice: 'feature service',
  model: 'model',
  modelversion: 'model version',
};

const RUN_COLORS: Record<string, 'success' | 'error' | 'info' | 'default'> = {
  COMPLETE: 'success',
  FAIL: 'error',
  ABORT: 'error',
  START: 'info',
  RUNNING: 'info',
};

type AssetData = {
  node: LineageNode;
  isRoot: boolean;
  onExpand: (id: string) => void;
  onCollapse: (id: string) => void;
};

function AssetNode({ data }: NodeProps<Node<AssetData>>) {
  const { node, isRoot } = data;
  const job = node.kind === 'job';
  return (
    <Paper
      variant="outlined"
      data-testid={`lineage-node-${node.id}`}
      sx={{
        width: job ? JOB_SIZE.width : DATASET_SIZE.width,
        height: job ? JOB_SIZE.height : DATASET_SIZE.height,
        px: 1,
        py: 0.5,
        borderRadius: job ? 6 : 1,
        borderWidth: isRoot ? 2 : 1,
        borderColor: isRoot ? 'primary.main' : 'divider',
        bgcolor: job ? 'action.hover' : 'background.paper',
        overflow: 'hidden',
      }}
    >
      <Handle type="target" position={Position.Left} />
      <Stack direction="row" alignItems="center" spacing={0.5}>
        <Typography variant="caption" color="text.secondary">
          {node.restricted ? 'restricted' : KIND_LABELS[node.kind] ?? node.kind}
        </Typography>
        <Box sx={{ flex: 1 }} />
        {node.classification && (
          <ClassificationChip value={node.classification} />
        )}
        {node.planned && (
          <Tooltip title="Planned by a template: not reported by a run yet">
            <Chip
              size="small"
              variant="outlined"
              label="planned"
              data-testid="lineage-planned"
            />
          </Tooltip>
        )}
        {node.latestRun && (
          <Tooltip
            title={
              node.latestRun.errorMessage ??
              `Latest run ${node.latestRun.stateTime}`
            }
          >
            <Chip
              size="small"
              label={node.latestRun.state.toLowerCase()}
              color={RUN_COLORS[node.latestRun.state] ?? 'default'}
            />
          </Tooltip>
        )}
        {!isRoot && !node.restricted && (
          <>
            <Tooltip title="Show its neighbours">
              <IconButton
                size="small"
                aria-label={`expand ${node.name}`}
                onClick={() => data.onExpand(node.id)}
                sx={{ p: 0 }}
              >
                <Typography variant="body2">⊕</Typography>
              </IconButton>
            </Tooltip>
            <Tooltip title="Hide what lies beyond">
              <IconButton
                size="small"
                aria-label={`collapse ${node.name}`}
                onClick={() => data.onCollapse(node.id)}
                sx={{ p: 0 }}
              >
                <Typography variant="body2">⊖</Typography>
              </IconButton>
            </Tooltip>
          </>
        )}
      </Stack>
      <Typography
        variant="body2"
        noWrap
        fontWeight={isRoot ? 600 : 400}
        title={node.id}
      >
        {node.entityRef ? (
          <EntityRefLink
            entityRef={node.entityRef}
            title={node.title ?? node.name}
          />
        ) : (
          node.title ?? node.name
        )}
      </Typography>
      {!job && (
        <Typography
          variant="caption"
          color="text.secondary"
          noWrap
          component="div"
        >
          {node.owner?.replace(/^group:default\//, '') ?? node.namespace}
        </Typography>
      )}
      {job && (node.children?.length || node.parent || node.unfinished) && (
        <Typography
          variant="caption"
          color="text.secondary"
          noWrap
          component="div"
        >
          {jobSubtitle(node)}
        </Typography>
      )}
      <Handle type="source" position={Position.Right} />
    </Paper>
  );
}

/** Under a job's name: what it groups, what it belongs to, or that it never finished. */
function jobSubtitle(node: LineageNode): string {
  const parts: string[] = [];
  if (node.children?.length) {
    const n = node.children.length;
    parts.push(`${node.namespace} · ${n} child job${n === 1 ? '' : 's'}`);
  }
  if (node.parent) parts.push(`in ${node.parent.name}`);
  if (node.unfinished) parts.push('never finished');
  return parts.join(' · ');
}

type ColumnsData = {
  title: string;
  entityRef?: string;
  columns: string[];
  isRoot: boolean;
  highlighted: Set<string>;
  id: string;
  onSelect: (node: string, column: string) => void;
};

function ColumnsNode({ data }: NodeProps<Node<ColumnsData>>) {
  return (
    <Paper
      variant="outlined"
      sx={{
        width: DATASET_SIZE.width,
        borderWidth: data.isRoot ? 2 : 1,
        borderColor: data.isRoot ? 'primary.main' : 'divider',
      }}
    >
      <Typography
        variant="body2"
        noWrap
        fontWeight={600}
        sx={{ px: 1, height: 28, lineHeight: '28px' }}
      >
        {data.entityRef ? (
          <EntityRefLink entityRef={data.entityRef} title={data.title} />
        ) : (
          data.title
        )}
      </Typography>
      {data.columns.map(column => {
        const on = data.highlighted.has(`${data.id}#${column}`);
        return (
          <Box
            key={column}
            data-testid={`lineage-column-${data.id}#${column}`}
            data-highlighted={on}
            onClick={() => data.onSelect(data.id, column)}
            sx={{
              position: 'relative',
              height: COLUMN_ROW,
              px: 1,
              fontFamily: 'monospace',
              fontSize: 12,
              lineHeight: `${COLUMN_ROW}px`,
              cursor: 'pointer',
              bgcolor: on ? 'warning.light' : undefined,
              borderTop: 1,
              borderColor: 'divider',
            }}
          >
            <Handle
              type="target"
              id={`${column}-in`}
              position={Position.Left}
            />
            {column}
            <Handle
              type="source"
              id={`${column}-out`}
              position={Position.Right}
            />
          </Box>
        );
      })}
    </Paper>
  );
}

// Not 'group': React Flow styles its built-in group nodes (a padded,
// bordered 150 px box), which drew a second box around this one.
const nodeTypes = {
  asset: AssetNode,
  columns: ColumnsNode,
  hiddenGroup: GroupNode,
};

type GroupData = { group: HiddenGroup; onOpen: (rank: number) => void };

function GroupNode({ data }: NodeProps<Node<GroupData>>) {
  return (
    <Paper
      variant="outlined"
      data-testid={`lineage-group-${data.group.rank}`}
      sx={{
        width: DATASET_SIZE.width,
        height: JOB_SIZE.height,
        px: 1,
        borderStyle: 'dashed',
      }}
    >
      <Handle type="target" position={Position.Left} />
      <Typography variant="body2" sx={{ pt: 0.5 }}>
        +{data.group.count} more at this distance
      </Typography>
      <Typography
        variant="caption"
        component="button"
        // A control inside a node: not a drag or pan gesture of the graph.
        className="nodrag nopan"
        onClick={() => data.onOpen(data.group.rank)}
        sx={{
          border: 0,
          background: 'none',
          color: 'primary.main',
          cursor: 'pointer',
          p: 0,
        }}
      >
        show all
      </Typography>
      <Handle type="source" position={Position.Right} />
    </Paper>
  );
}

function tableFlow(
  state: GraphState,
  handlers: {
    onExpand: (id: string) => void;
    onCollapse: (id: string) => void;
    onOpenRank: (rank: number) => void;
  },
  openRanks: Set<number>,
  keep: Set<string>,
) {
  const grouped = groupCrowdedColumns(
    [...state.nodes.values()],
    [...state.edges.values()],
    rankOf,
    openRanks,
    keep,
  );
  const boxes = [
    ...grouped.nodes.map(n => ({
      id: n.id,
      ...(n.kind === 'job' ? JOB_SIZE : DATASET_SIZE),
      rank: rankOf(n),
      label: n.title ?? n.name,
    })),
    ...grouped.groups.map(g => ({
      id: g.id,
      width: DATASET_SIZE.width,
      height: JOB_SIZE.height,
      rank: g.rank,
      // Sorted after the names it stands for.
      label: '\uffff',
    })),
  ];
  const positions =
    boxes.length > LAYERED_LAYOUT_LIMIT
      ? rankedLayout(boxes)
      : layout(boxes, grouped.edges);
  const nodes: Node[] = [
    ...grouped.nodes.map(n => ({
      id: n.id,
      type: 'asset',
      position: positions.get(n.id)!,
      data: {
        node: n,
        isRoot: n.id === state.root,
        onExpand: handlers.onExpand,
        onCollapse: handlers.onCollapse,
      },
    })),
    ...grouped.groups.map(g => ({
      id: g.id,
      type: 'hiddenGroup',
      position: positions.get(g.id)!,
      data: { group: g, onOpen: handlers.onOpenRank },
    })),
  ];
  const flowEdges: Edge[] = grouped.edges.map(e => ({
    id: `${e.source}->${e.target}`,
    source: e.source,
    target: e.target,
    markerEnd: { type: MarkerType.ArrowClosed },
  }));
  return { nodes, edges: flowEdges };
}

/** Copies go unlabelled; what changes values says so. */
function edgeLabel(t: ColumnLineageEdge['transformation']) {
  if (t.masking) return 'masked';
  if (t.subtype && t.subtype !== 'IDENTITY') return t.subtype.toLowerCase();
  return undefined;
}

function columnFlow(
  graph: ColumnLineageResponse,
  highlighted: { columns: Set<string>; edges: Set<string> },
  onSelect: (node: string, column: string) => void,
) {
  const size = (n: ColumnLineageResponse['nodes'][number]) => ({
    width: DATASET_SIZE.width,
    height: 30 + n.columns.length * COLUMN_ROW,
  });
  const dataEdges = graph.edges.map(e => ({
    source: e.source.node,
    target: e.target.node,
  }));
  const positions = layout(
    graph.nodes.map(n => ({ id: n.id, ...size(n) })),
    dataEdges,
  );
  const nodes: Node<ColumnsData>[] = graph.nodes.map(n => ({
    id: n.id,
    type: 'columns',
    position: positions.get(n.id)!,
    data: {
      id: n.id,
      title: n.title ?? n.name,
      entityRef: n.entityRef,
      columns: n.columns,
      isRoot: n.id === graph.root,
      highlighted: highlighted.columns,
      onSelect,
    },
  }));
  const anyHighlight = highlighted.edges.size > 0;
  const edges: Edge[] = graph.edges.map(e => {
    const id = `${e.source.node}#${e.source.column}->${e.target.node}#${e.target.column}`;
    const on = highlighted.edges.has(id);
    const t = e.transformation;
    return {
      id,
      source: e.source.node,
      target: e.target.node,
      sourceHandle: `${e.source.column}-out`,
      targetHandle: `${e.target.column}-in`,
      label: edgeLabel(t),
      animated: on,
      style: {
        stroke: on ? '#ed6c02' : undefined,
        strokeWidth: on ? 2.5 : 1,
        strokeDasharray: t.type === 'INDIRECT' ? '4 3' : undefined,
        opacity: anyHighlight && !on ? 0.25 : 1,
      },
    };
  });
  return { nodes, edges };
}

/** The interactive lineage graph of one dataset or job (loaded lazily). */
export function LineageGraphView(props: { node: string }) {
  const api = useApi(lakehouseApiRef);
  const [direction, setDirection] = useState<LineageDirection>('both');
  const [depth, setDepth] = useState(2);
  const [columnsMode, setColumnsMode] = useState(false);
  const [showUnfinished, setShowUnfinished] = useState(false);
  const [groupJobs, setGroupJobs] = useState(true);
  const [hiddenUnfinished, setHiddenUnfinished] = useState(0);
  const [graph, setGraph] = useState<GraphState>();
  const [columns, setColumns] = useState<ColumnLineageResponse>();
  const [highlight, setHighlight] = useState<{
    columns: Set<string>;
    edges: Set<string>;
  }>({
    columns: new Set(),
    edges: new Set(),
  });
  const [error, setError] = useState<Error>();
  const [selected, setSelected] = useState<string>();
  const [openRanks, setOpenRanks] = useState<Set<number>>(new Set());
  const onOpenRank = useCallback(
    (rank: number) => setOpenRanks(r => new Set([...r, rank])),
    [],
  );
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    const load = columnsMode
      ? api
          .getColumnLineage({ node: props.node, direction, depth })
          .then(r => live && setColumns(r))
      : api
          .getLineageGraph({
            node: props.node,
            direction,
            depth,
            limit: NODE_LIMIT,
            unfinished: showUnfinished,
            group: groupJobs ? 'parent' : 'none',
          })
          .then(r => {
            if (!live) return;
            setGraph(fromResponse(r));
            setHiddenUnfinished(r.hiddenUnfinished ?? 0);
          });
    load
      .catch(e => live && setError(e))
      .finally(() => live && setLoading(false));
    setHighlight({ columns: new Set(), edges: new Set() });
    setOpenRanks(new Set());
    return () => {
      live = false;
    };
  }, [
    api,
    props.node,
    direction,
    depth,
    columnsMode,
    showUnfinished,
    groupJobs,
  ]);

  // A selection outlives the "Unfinished jobs" and "Child jobs" switches
  // (its child jobs stay in view, see keptInView), not a new graph.
  useEffect(
    () => setSelected(undefined),
    [props.node, direction, depth, columnsMode],
  );

  const onExpand = useCallback(
    (id: string) => {
      api
        .getLineageGraph({
          node: id,
          direction: 'both',
          depth: 1,
          limit: 100,
          unfinished: showUnfinished,
          group: groupJobs ? 'parent' : 'none',
        })
        .then(r => setGraph(g => (g ? expand(g, id, r) : g)))
        .catch(setError);
    },
    [api, showUnfinished, groupJobs],
  );
  const onCollapse = useCallback(
    (id: string) => setGraph(g => (g ? collapse(g, id) : g)),
    [],
  );
  const onSelectColumn = useCallback(
    (node: string, column: string) => {
      api
        .getColumnLineage({ node, column, direction: 'both', depth: 10 })
        .then(r => {
          const cols = new Set([`${node}#${column}`]);
          const edges = new Set<string>();
          for (const e of r.edges) {
            cols.add(`${e.source.node}#${e.source.column}`);
            cols.add(`${e.target.node}#${e.target.column}`);
            edges.add(
              `${e.source.node}#${e.source.column}->${e.target.node}#${e.target.column}`,
            );
          }
          setHighlight({ columns: cols, edges });
        })
        .catch(setError);
    },
    [api],
  );

  // Keyed by content: a selection changes the drawing only when its child
  // jobs are drawn on their own.
  const keepKey = graph ? [...keptInView(graph, selected)].join('\n') : '';
  const flow = useMemo((): { nodes: Node[]; edges: Edge[] } | undefined => {
    if (columnsMode)
      return columns
        ? columnFlow(columns, highlight, onSelectColumn)
        : undefined;
    return graph
      ? tableFlow(
          graph,
          { onExpand, onCollapse, onOpenRank },
          openRanks,
          new Set(keepKey.split('\n')),
        )
      : undefined;
  }, [
    columnsMode,
    columns,
    graph,
    highlight,
    onExpand,
    onCollapse,
    onOpenRank,
    openRanks,
    keepKey,
    onSelectColumn,
  ]);

  const truncated = columnsMode ? columns?.truncated : graph?.truncated;
  // A selection kept across the switches may not be in this graph.
  const selectedNode =
    !columnsMode && selected ? graph?.nodes.get(selected) : undefined;
  // Open on the root and its direct neighbours, readable; pan for the rest.
  const focus = useMemo(
    () =>
      columnsMode || !graph
        ? undefined
        : [...graph.nodes.values()]
            .filter(n => n.depth <= 1)
            .map(n => ({ id: n.id })),
    [columnsMode, graph],
  );
  const count = flow?.nodes.length ?? 0;

  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={2} alignItems="center" flexWrap="wrap">
        <ToggleButtonGroup
          size="small"
          exclusive
          value={direction}
          onChange={(_e, v) => v && setDirection(v)}
          aria-label="direction"
        >
          <ToggleButton value="upstream">Upstream</ToggleButton>
          <ToggleButton value="both">Both</ToggleButton>
          <ToggleButton value="downstream">Downstream</ToggleButton>
        </ToggleButtonGroup>
        <TextField
          select
          size="small"
          label="Depth"
          value={depth}
          onChange={e => setDepth(Number(e.target.value))}
          sx={{ width: 100 }}
          inputProps={{ 'aria-label': 'depth' }}
        >
          {[1, 2, 3, 5, 10, 20].map(d => (
            <MenuItem key={d} value={d}>
              {d}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Switch
              checked={columnsMode}
              onChange={e => setColumnsMode(e.target.checked)}
            />
          }
          label="Column level"
        />
        {!columnsMode && (
          <>
            <Tooltip title="Draw each child job (a Spark action, an Airflow task) on its own instead of under its parent job">
              <FormControlLabel
                control={
                  <Switch
                    checked={!groupJobs}
                    onChange={e => setGroupJobs(!e.target.checked)}
                  />
                }
                label="Child jobs"
              />
            </Tooltip>
            <Tooltip title="Jobs that never completed and wrote nothing, such as Spark's schema reads">
              <FormControlLabel
                control={
                  <Switch
                    checked={showUnfinished}
                    onChange={e => setShowUnfinished(e.target.checked)}
                  />
                }
                label={`Unfinished jobs${
                  !showUnfinished && hiddenUnfinished
                    ? ` (${hiddenUnfinished} hidden)`
                    : ''
                }`}
              />
            </Tooltip>
          </>
        )}
        <Typography variant="body2" color="text.secondary">
          {count} {columnsMode ? 'datasets' : 'nodes'}
          {columnsMode && ' · click a column to highlight its path'}
        </Typography>
      </Stack>
      {truncated && (
        <Alert severity="info">
          The graph is larger than {NODE_LIMIT} nodes and was cut. Lower the
          depth, pick one direction, or expand from a node.
        </Alert>
      )}
      {error && <ErrorPanel title="Could not load lineage" error={error} />}
      {loading && <Progress />}
      {flow && !loading && (
        <Box
          sx={{
            height: 620,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
          }}
          data-testid="lineage-graph"
        >
          <ReactFlowProvider>
            <ReactFlow
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={nodeTypes}
              fitView
              fitViewOptions={{ maxZoom: 1, nodes: focus }}
              minZoom={0.05}
              onlyRenderVisibleElements={count > 150}
              nodesConnectable={false}
              onNodeClick={(_event, n) => setSelected(n.id)}
              proOptions={{ hideAttribution: true }}
            >
              <Background />
              <Controls showInteractive={false} />
              {count > 30 && <MiniMap pannable zoomable />}
            </ReactFlow>
          </ReactFlowProvider>
        </Box>
      )}
      {selectedNode && <NodeDetails node={selectedNode} />}
      {!columnsMode && !selectedNode && flow && (
        <Typography variant="body2" color="text.secondary">
          Click a node for its details (a job's SQL and latest run).
        </Typography>
      )}
    </Stack>
  );
}
