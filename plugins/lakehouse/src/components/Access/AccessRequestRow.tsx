import { Link } from '@backstage/core-components';
import { AccessRequest } from '@lakeport/plugin-lakehouse-common';
import Box from '@mui/material/Box';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Fragment, ReactNode, useState } from 'react';
import { ClassificationChip } from '../ClassificationChip';
import { datasetTabPath } from '../format';
import { AccessStatusChip, AccessTimeline, shortRef } from './AccessStatusChip';

/** A request with its timeline below; `actions` for what the viewer may do. */
export function AccessRequestRow(props: {
  request: AccessRequest;
  open?: boolean;
  actions?: ReactNode;
  extra?: ReactNode;
}) {
  const r = props.request;
  const [open, setOpen] = useState(!!props.open);
  return (
    <Fragment>
      <TableRow hover data-testid={`access-request-${r.id}`}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={open ? 'hide timeline' : 'show timeline'}
            onClick={() => setOpen(!open)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Link to={datasetTabPath(r.datasetName, 'access')}>
            {r.datasetTitle}
          </Link>
          <Typography variant="caption" display="block">
            {r.columns ? r.columns.join(', ') : 'whole dataset'}{' '}
            <ClassificationChip value={r.classification} />
          </Typography>
        </TableCell>
        <TableCell>
          {shortRef(r.principal)}
          {r.requester !== r.principal && (
            <Typography variant="caption" display="block">
              asked by {shortRef(r.requester)}
            </Typography>
          )}
        </TableCell>
        <TableCell sx={{ maxWidth: 280 }}>
          <Typography variant="body2">{r.purpose}</Typography>
          <Typography variant="caption" color="text.secondary">
            {r.justification}
          </Typography>
        </TableCell>
        <TableCell>
          <AccessStatusChip status={r.status} />
          {r.status === 'requested' && r.step && (
            <Typography variant="caption" display="block">
              waiting for {r.step}
            </Typography>
          )}
          {r.error && (
            <Typography variant="caption" display="block" color="error">
              {r.error}
            </Typography>
          )}
        </TableCell>
        <TableCell>
          {r.expiresAt && r.status === 'active'
            ? `until ${new Date(r.expiresAt).toLocaleDateString()}`
            : `${r.durationDays} days`}
        </TableCell>
        {props.extra}
        <TableCell>{props.actions}</TableCell>
      </TableRow>
      <TableRow>
        <TableCell
          colSpan={9}
          sx={{ py: 0, borderBottom: open ? undefined : 0 }}
        >
          <Collapse in={open} unmountOnExit>
            <Box sx={{ py: 1 }}>
              <AccessTimeline audit={r.audit} />
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}
