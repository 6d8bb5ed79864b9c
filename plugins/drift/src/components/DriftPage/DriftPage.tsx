import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../../api';

/** The Drift page: the state of drift scanning across the catalog. */
export const DriftPage = () => {
  const driftApi = useApi(driftApiRef);
  const { value, loading, error } = useAsync(() => driftApi.getHealth(), [driftApi]);

  return (
    <Page themeId="tool">
      <Header title="Drift" subtitle="Live state compared with what Git declares" />
      <Content>
        <ContentHeader title="Drift scanning">
          <SupportButton>
            Driftwatch compares each catalog entity's Git sources with its live resources.
          </SupportButton>
        </ContentHeader>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <InfoCard title="Scanner">
            <StructuredMetadataTable
              metadata={{
                backend: value.status,
                database: value.database,
                'last scan': value.lastScan
                  ? `${value.lastScan.status}${
                      value.lastScan.finishedAt ? ` (${value.lastScan.finishedAt})` : ''
                    }`
                  : 'no scan has run yet',
              }}
            />
          </InfoCard>
        )}
      </Content>
    </Page>
  );
};
