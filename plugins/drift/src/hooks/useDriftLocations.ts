import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../api';

/** The environments and Kubernetes clusters the monitored resources are in. */
export interface DriftLocations {
  environments: string[];
  clusters: string[];
}

const uniqueSorted = (values: Array<string | null | undefined>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/** The choices of the environment and cluster filters, from the monitored resources. */
export function useDriftLocations() {
  const driftApi = useApi(driftApiRef);
  return useAsync(async (): Promise<DriftLocations> => {
    const resources = await driftApi.listResources();
    return {
      environments: uniqueSorted(resources.map(r => r.environment)),
      clusters: uniqueSorted(
        resources.filter(r => r.provider === 'kubernetes').map(r => r.location),
      ),
    };
  }, [driftApi]);
}
