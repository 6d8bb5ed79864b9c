import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { driftApiRef } from '../api';
import { useFindingsChanged } from './useFindingsChanged';

/**
 * A finding with its events and incidents, fetched again when `version` changes (the finding
 * moved on) or the backend signals a change of the finding's entity.
 */
export function useFindingDetails(
  findingId: string,
  options: { entityRef?: string; version?: string } = {},
) {
  const driftApi = useApi(driftApiRef);
  const changed = useFindingsChanged(options.entityRef);
  return useAsyncRetry(
    () => driftApi.getFinding(findingId),
    [driftApi, findingId, options.version, changed],
  );
}
