import {
  AccessAuditEntry,
  AccessRequestStatus,
} from '@lakeport/plugin-lakehouse-common';
import Chip from '@mui/material/Chip';
import Step from '@mui/material/Step';
import StepContent from '@mui/material/StepContent';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';

const COLORS: Partial<
  Record<AccessRequestStatus, 'success' | 'warning' | 'error' | 'info'>
> = {
  requested: 'info',
  approved: 'info',
  provisioning: 'warning',
  active: 'success',
  denied: 'error',
  provisioning_failed: 'error',
};

export function AccessStatusChip({ status }: { status: string }) {
  return (
    <Chip
      size="small"
      color={COLORS[status as AccessRequestStatus] ?? 'default'}
      label={status.replace('_', ' ')}
    />
  );
}

export const shortRef = (ref: string) =>
  ref.replace(/^(user|group):default\//, '');

/** Every recorded step of a request: who, when, what, why. */
export function AccessTimeline({ audit }: { audit: AccessAuditEntry[] }) {
  return (
    <Stepper orientation="vertical" aria-label="Timeline" nonLinear>
      {audit.map((entry, i) => (
        <Step key={i} active completed expanded>
          <StepLabel>
            <strong>{entry.action.replace(/-/g, ' ')}</strong> by{' '}
            {shortRef(entry.actor)} · {new Date(entry.at).toLocaleString()}
          </StepLabel>
          <StepContent>
            {entry.comment && (
              <Typography variant="body2">“{entry.comment}”</Typography>
            )}
            {entry.toStatus && entry.toStatus !== entry.fromStatus && (
              <Typography variant="caption" color="text.secondary">
                {entry.fromStatus ? `${entry.fromStatus} → ` : ''}
                {entry.toStatus}
              </Typography>
            )}
          </StepContent>
        </Step>
      ))}
    </Stepper>
  );
}
