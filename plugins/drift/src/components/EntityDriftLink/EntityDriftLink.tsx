import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import {
  humanizeEntityRef,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';

/** The entity's name, linking to the Drift tab of its catalog page. */
export const EntityDriftLink = (props: { entityRef: string }) => {
  const entityLink = useEntityRefLink();
  const { entityRef } = props;
  let label = entityRef;
  try {
    label = humanizeEntityRef(parseEntityRef(entityRef), {
      defaultKind: 'component',
    });
  } catch {
    return <>{entityRef}</>;
  }
  return <Link to={`${entityLink(entityRef)}/drift`}>{label}</Link>;
};
