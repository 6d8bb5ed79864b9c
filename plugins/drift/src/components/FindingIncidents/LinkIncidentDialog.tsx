import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useId, useState } from 'react';
import type { DriftFinding } from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';

/** The backend takes http(s) URLs only; other schemes would be unsafe to render as links. */
function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Links a finding to an incident (its URL and a title), so the incident's RCA can cite it. */
export const LinkIncidentDialog = (props: {
  finding: DriftFinding;
  onClose: () => void;
  onLinked: () => void;
}) => {
  const { finding, onClose, onLinked } = props;
  const driftApi = useApi(driftApiRef);
  const alertApi = useApi(alertApiRef);
  const id = useId();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const trimmed = url.trim();
  const urlValid = isHttpUrl(trimmed);

  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await driftApi.linkIncident(finding.id, { url: trimmed, title });
      alertApi.post({
        message: `Linked ${finding.resourceKey} to the incident`,
        severity: 'success',
        display: 'transient',
      });
      onLinked();
      onClose();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={`${id}-title`}
    >
      <DialogTitle id={`${id}-title`}>Link incident</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Record that the drift of {finding.resourceKey} played a part in an
          incident. The link is kept with the finding and in the audit log.
        </DialogContentText>
        <TextField
          id={`${id}-url`}
          label="Incident URL"
          value={url}
          onChange={event => setUrl(event.target.value)}
          error={trimmed !== '' && !urlValid}
          helperText={
            trimmed !== '' && !urlValid
              ? 'An http:// or https:// address'
              : undefined
          }
          placeholder="https://example.pagerduty.com/incidents/..."
          required
          fullWidth
          variant="outlined"
          margin="normal"
          inputProps={{ maxLength: 2000 }}
        />
        <TextField
          id={`${id}-title-field`}
          label="Title"
          value={title}
          onChange={event => setTitle(event.target.value)}
          fullWidth
          variant="outlined"
          margin="normal"
          inputProps={{ maxLength: 500 }}
        />
        {failure && (
          <Alert severity="error" role="alert">
            Not linked: {failure}
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
          disabled={busy || !urlValid}
        >
          Link
        </Button>
      </DialogActions>
    </Dialog>
  );
};
