import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import driftPlugin from '@driftwatch/plugin-drift/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [catalogPlugin, driftPlugin, navModule],
});
