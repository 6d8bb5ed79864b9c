import {
  Header,
  HeaderLabel,
  Page,
  TabbedLayout,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../../api';
import { formatRelative } from '../../utils/time';
import { DemoDataLabel } from '../DemoDataLabel';
import { DriftDashboard } from '../DriftDashboard';
import { DriftReview } from '../DriftReview';
import { DriftRouting } from '../DriftRouting';
import { DriftTracker } from '../DriftTracker';
import { SecurityTrends } from '../SecurityTrends';

/** When the scanner last finished, from the backend's health route. */
const LastScanLabel = () => {
  const driftApi = useApi(driftApiRef);
  const { value, error } = useAsync(() => driftApi.getHealth(), [driftApi]);
  if (error)
    return <HeaderLabel label="Last scan" value="backend unreachable" />;
  // Without read permission the backend does not say.
  if (value?.lastScan === undefined) return null;
  const scan = value.lastScan;
  return (
    <HeaderLabel
      label="Last scan"
      value={
        scan
          ? `${scan.status}${
              scan.finishedAt ? `, ${formatRelative(scan.finishedAt)}` : ''
            }`
          : 'no scan has run yet'
      }
    />
  );
};

/**
 * The Drift page: the dashboard, the tracker, security trends, routing and the bi-weekly
 * review as tabs, each at its own URL (`/drift`, `/drift/tracker`, `/drift/security`,
 * `/drift/routing`, `/drift/review`).
 */
export const DriftPage = () => (
  <Page themeId="tool">
    <Header title="Drift" subtitle="Live state compared with what Git declares">
      <LastScanLabel />
      <DemoDataLabel />
    </Header>
    <TabbedLayout>
      <TabbedLayout.Route path="/" title="Dashboard">
        <DriftDashboard />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/tracker" title="Tracker">
        <DriftTracker />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/security" title="Security trends">
        <SecurityTrends />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/routing" title="Routing">
        <DriftRouting />
      </TabbedLayout.Route>
      <TabbedLayout.Route path="/review" title="Bi-weekly review">
        <DriftReview />
      </TabbedLayout.Route>
    </TabbedLayout>
  </Page>
);
