import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import type { EnvironmentPair } from '@driftwatch/plugin-drift-common';
import { driftApiRef } from '../../api';

function inSyncMessage(objects: number): string {
  if (objects === 0) return 'No object runs in more than one environment yet.';
  if (objects === 1) {
    return 'The one object running in several environments differs only where Git says it should.';
  }
  return `The ${objects} objects running in several environments differ only where Git says they should.`;
}

const show = (value: unknown) =>
  value === null || value === undefined ? 'not set' : JSON.stringify(value);

const PairTable = (props: { objectName: string; pair: EnvironmentPair }) => {
  const { objectName, pair } = props;
  const [a, b] = pair.environments;
  return (
    <Table size="small" aria-label={`${objectName}: ${a} and ${b}`}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          <TableCell>
            {a} ({pair.locations[0]})
          </TableCell>
          <TableCell>
            {b} ({pair.locations[1]})
          </TableCell>
          <TableCell>Category</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {pair.differences.map(difference => (
          <TableRow key={difference.path}>
            <TableCell>{difference.field}</TableCell>
            <TableCell>{show(difference.values[0])}</TableCell>
            <TableCell>{show(difference.values[1])}</TableCell>
            <TableCell>{difference.category}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

/**
 * The entity's objects compared across its environments, live against live, leaving out what
 * Git declares differently per environment: what remains is drift one environment has and the
 * other does not, such as a hotfix applied to production only.
 */
export const EnvironmentComparison = (props: { entityRef: string }) => {
  const driftApi = useApi(driftApiRef);
  const { value, loading, error } = useAsync(
    () => driftApi.getEntityEnvironments(props.entityRef),
    [driftApi, props.entityRef],
  );

  const title = 'Across environments';
  if (loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const differing = value.objects.flatMap(object =>
    object.pairs
      .filter(pair => pair.differences.length > 0)
      .map(pair => ({ object, pair })),
  );
  const declared = value.objects
    .flatMap(object => object.pairs)
    .reduce((sum, pair) => sum + pair.declared, 0);

  return (
    <InfoCard
      title={title}
      subheader={`Live state compared between ${value.environments.join(', ')}`}
    >
      {differing.length === 0 ? (
        <Typography variant="body2">
          {inSyncMessage(value.objects.length)}
        </Typography>
      ) : (
        differing.map(({ object, pair }) => {
          const objectName = `${object.kind} ${
            object.namespace ? `${object.namespace}/` : ''
          }${object.name}`;
          return (
            <Box
              key={`${object.resourceKey}:${pair.environments.join(':')}`}
              mb={2}
            >
              <Typography variant="subtitle2" component="h3">
                {objectName}: {pair.environments.join(' and ')} differ live
                where Git does not
              </Typography>
              <PairTable objectName={objectName} pair={pair} />
            </Box>
          );
        })
      )}
      {declared > 0 && (
        <Typography variant="caption" component="p">
          {declared} difference{declared === 1 ? '' : 's'} that Git declares per
          environment {declared === 1 ? 'is' : 'are'} left out.
        </Typography>
      )}
    </InfoCard>
  );
};
