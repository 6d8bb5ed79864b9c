import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { DateTime } from 'luxon';
import { useId, useState } from 'react';
import type { DriftFinding } from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';
import { LABEL_STYLE } from '../../utils/styles';

/** The human decisions on a finding. */
export type Decision = 'acknowledge' | 'suppress' | 'reopen';

const TITLES: Record<Decision, string> = {
  acknowledge: 'Acknowledge drift',
  suppress: 'Suppress drift',
  reopen: 'Reopen drift',
};

const PAST: Record<Decision, string> = {
  acknowledge: 'Acknowledged',
  suppress: 'Suppressed',
  reopen: 'Reopened',
};

const DEFAULT_SUPPRESSION_DAYS = 30;

function subject(findings: DriftFinding[]): string {
  return findings.length === 1
    ? findings[0].resourceKey
    : `${findings.length} findings`;
}

/**
 * Records a decision on one finding or several (bulk acknowledge) with the note, or the reason
 * and expiry, that the audit log keeps. Findings the user may not decide on, or that changed
 * meanwhile, are reported one by one; the others go through.
 */
export const DecisionDialog = (props: {
  decision: Decision;
  findings: DriftFinding[];
  onClose: () => void;
  onDone: (updated: DriftFinding[]) => void;
}) => {
  const { decision, findings, onClose, onDone } = props;
  const driftApi = useApi(driftApiRef);
  const alertApi = useApi(alertApiRef);
  const id = useId();
  const [text, setText] = useState('');
  const [until, setUntil] = useState(
    DateTime.now().plus({ days: DEFAULT_SUPPRESSION_DAYS }).toISODate()!,
  );
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<string[]>([]);

  const tomorrow = DateTime.now().plus({ days: 1 }).toISODate()!;
  const untilValid = until >= tomorrow;
  const canSubmit =
    !busy &&
    (decision !== 'suppress' || (text.trim().length > 0 && untilValid));

  const decide = (finding: DriftFinding) => {
    switch (decision) {
      case 'acknowledge':
        return driftApi.acknowledgeFinding(finding.id, { note: text });
      case 'suppress':
        return driftApi.suppressFinding(finding.id, {
          // The whole chosen day, in the user's time zone.
          until: DateTime.fromISO(until).endOf('day').toUTC().toISO()!,
          reason: text.trim(),
        });
      default:
        return driftApi.reopenFinding(finding.id, { note: text });
    }
  };

  const submit = async () => {
    setBusy(true);
    setFailures([]);
    const results = await Promise.allSettled(findings.map(decide));
    const updated = results.flatMap(r =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`${findings[i].resourceKey}: ${r.reason?.message ?? r.reason}`]
        : [],
    );
    setBusy(false);
    if (updated.length) {
      alertApi.post({
        message: `${PAST[decision]} ${subject(updated)}`,
        severity: 'success',
        display: 'transient',
      });
    }
    if (failed.length) {
      setFailures(failed);
      if (updated.length) onDone(updated);
      return;
    }
    onDone(updated);
    onClose();
  };

  const textLabel = decision === 'suppress' ? 'Reason' : 'Note';
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={`${id}-title`}
    >
      <DialogTitle id={`${id}-title`}>{TITLES[decision]}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {decision === 'acknowledge' &&
            `You have seen the drift of ${subject(
              findings,
            )} and own what happens next. It stays open until Git and live match again.`}
          {decision === 'suppress' &&
            `Accept the drift of ${subject(
              findings,
            )} until a date. It stops counting against its SLA and reopens when the suppression expires.`}
          {decision === 'reopen' &&
            `Put ${subject(
              findings,
            )} back to active so that it counts against its SLA again.`}
        </DialogContentText>
        <TextField
          id={`${id}-text`}
          label={textLabel}
          value={text}
          onChange={event => setText(event.target.value)}
          required={decision === 'suppress'}
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          inputProps={{ maxLength: 4000 }}
        />
        {decision === 'suppress' && (
          <TextField
            id={`${id}-until`}
            label="Suppressed until"
            type="date"
            value={until}
            onChange={event => setUntil(event.target.value)}
            error={!untilValid}
            helperText={untilValid ? undefined : 'Pick a day in the future'}
            InputLabelProps={{ shrink: true, style: LABEL_STYLE }}
            inputProps={{ min: tomorrow }}
            variant="outlined"
            margin="normal"
            required
          />
        )}
        {failures.length > 0 && (
          <Alert severity="error" role="alert">
            Not {PAST[decision].toLocaleLowerCase('en-US')}:
            <ul>
              {failures.map(f => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={!canSubmit}
        >
          {TITLES[decision].split(' ')[0]}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
