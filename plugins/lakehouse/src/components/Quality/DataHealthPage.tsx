import {
  Content,
  ErrorPanel,
  Header,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Alert from '@mui/material/Alert';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { lakehouseApiRef } from '../../api/LakehouseApi';
import { datasetTabPath, formatAge } from '../format';
import { GradeChip, HealthChip } from './GradeChip';

/** "My data health": the signed-in owner's datasets, worst first. */
export function DataHealthPage() {
  const api = useApi(lakehouseApiRef);
  const { value, loading, error } = useAsync(
    () => api.getMyDataHealth(),
    [api],
  );
  const failing = value?.items.filter(i => i.health === 'failing').length ?? 0;
  return (
    <Page themeId="tool">
      <Header
        title="My data health"
        subtitle="Datasets you or your groups own, worst first"
      />
      <Content>
        {loading && <Progress />}
        {error && (
          <ErrorPanel title="Could not load your datasets" error={error} />
        )}
        {value && value.items.length === 0 && (
          <Alert severity="info">
            You own no datasets: owners come from each data contract's owner
            group.
          </Alert>
        )}
        {value && value.items.length > 0 && (
          <>
            <Typography sx={{ mb: 2 }}>
              {failing
                ? `${failing} of ${value.items.length} datasets are failing checks.`
                : `All ${value.items.length} datasets pass their checks.`}
            </Typography>
            <Paper variant="outlined">
              <Table size="small" aria-label="My datasets">
                <TableHead>
                  <TableRow>
                    <TableCell>Dataset</TableCell>
                    <TableCell>Grade</TableCell>
                    <TableCell>Health</TableCell>
                    <TableCell align="right">Failed checks</TableCell>
                    <TableCell>Last checked</TableCell>
                    <TableCell>Owner</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {value.items.map(item => (
                    <TableRow key={item.datasetId} hover>
                      <TableCell>
                        <Link to={datasetTabPath(item.name, 'quality')}>
                          {item.title}
                        </Link>
                        <Typography variant="caption" display="block">
                          {item.name}
                        </Typography>
                      </TableCell>
                      <TableCell>
                        <GradeChip grade={item.grade} score={item.score} />
                      </TableCell>
                      <TableCell>
                        <HealthChip health={item.health} />
                        {item.healthSince && (
                          <Typography variant="caption" display="block">
                            since {formatAge(item.healthSince)}
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell align="right">{item.failedChecks}</TableCell>
                      <TableCell>{formatAge(item.lastRunAt)}</TableCell>
                      <TableCell>
                        {item.owner?.replace(/^group:default\//, '')}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Paper>
          </>
        )}
      </Content>
    </Page>
  );
}
