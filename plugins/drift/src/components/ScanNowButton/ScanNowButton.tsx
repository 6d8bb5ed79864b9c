import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  driftScanCreatePermission,
  type DriftScan,
} from '@driftwatch/plugin-drift-common';
import { useEffect, useRef, useState } from 'react';
import { driftApiRef } from '../../api';

const FINISHED = new Set<DriftScan['status']>([
  'succeeded',
  'partial',
  'failed',
]);

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeScan(scan: DriftScan): string {
  switch (scan.status) {
    case 'queued':
      return 'Scan queued…';
    case 'running':
      return scan.entitiesTotal
        ? `Scanning: ${scan.entitiesDone} of ${
            scan.entitiesTotal === 1
              ? '1 entity'
              : `${scan.entitiesTotal} entities`
          } done`
        : 'Scanning…';
    default: {
      const counts = `${plural(
        scan.resourcesScanned ?? 0,
        'resource',
      )} compared, ${plural(scan.findingsOpened ?? 0, 'new finding')}, ${
        scan.findingsResolved ?? 0
      } resolved`;
      const errors = scan.errors.map(e => e.message).join('; ');
      return `Scan ${scan.status}: ${counts}${
        errors ? `. Errors: ${errors}` : ''
      }`;
    }
  }
}

/**
 * Starts a scan of one entity and shows its progress until it ends; then tells the page to
 * reload. Shown only to users allowed to start scans.
 */
export const ScanNowButton = (props: {
  entityRef: string;
  onFinished: (scan: DriftScan) => void;
  pollIntervalMs?: number;
}) => {
  const { entityRef, onFinished, pollIntervalMs = 1000 } = props;
  const driftApi = useApi(driftApiRef);
  const { allowed } = usePermission({ permission: driftScanCreatePermission });
  const [scan, setScan] = useState<DriftScan>();
  const [error, setError] = useState<Error>();
  const [starting, setStarting] = useState(false);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  const running =
    starting || (scan !== undefined && !FINISHED.has(scan.status));

  useEffect(() => {
    if (!scan || FINISHED.has(scan.status)) return undefined;
    const timer = setTimeout(async () => {
      try {
        const next = await driftApi.getScan(scan.id);
        setScan(next);
        if (FINISHED.has(next.status)) finishedRef.current(next);
      } catch (e) {
        setError(e as Error);
        setScan(undefined);
      }
    }, pollIntervalMs);
    return () => clearTimeout(timer);
  }, [scan, driftApi, pollIntervalMs]);

  if (!allowed) return null;

  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      const { id } = await driftApi.createScan({ entityRef });
      setScan(await driftApi.getScan(id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setStarting(false);
    }
  };

  const progress =
    scan && scan.entitiesTotal > 0
      ? (100 * scan.entitiesDone) / scan.entitiesTotal
      : undefined;

  return (
    <Box minWidth={240}>
      <Button
        variant="contained"
        color="primary"
        onClick={start}
        disabled={running}
      >
        {running ? 'Scanning…' : 'Scan now'}
      </Button>
      {running && (
        <Box mt={1}>
          <LinearProgress
            aria-label="Scan progress"
            variant={progress === undefined ? 'indeterminate' : 'determinate'}
            value={progress}
          />
        </Box>
      )}
      <Typography variant="body2" role="status" style={{ marginTop: 4 }}>
        {error && `Scan could not run: ${error.message}`}
        {!error && scan && describeScan(scan)}
      </Typography>
    </Box>
  );
};
