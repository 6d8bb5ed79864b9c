import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../../api';

/**
 * Says "Demo data" when the backend reports that its findings come from replayed demo
 * snapshots rather than real clusters; renders nothing otherwise.
 */
export const DemoDataLabel = () => {
  const driftApi = useApi(driftApiRef);
  const { value } = useAsync(() => driftApi.getHealth(), [driftApi]);
  if (!value?.demo) return null;
  return (
    <Tooltip title="Findings come from the replayed demo snapshots, not from live clusters">
      <Chip
        size="small"
        label="Demo data"
        style={{ backgroundColor: '#fff', color: '#333' }}
      />
    </Tooltip>
  );
};
