import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  DRIFT_SOURCE_ANNOTATION,
  DRIFT_TERRAFORM_PLAN_ANNOTATION,
  DRIFT_TIER_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
} from '@driftwatch/plugin-drift-common';
import { isDriftAvailable } from '../../conditions';

/** The Drift tab of an entity page. */
export const EntityDriftContent = () => {
  const { entity } = useEntity();

  if (!isDriftAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[DRIFT_SOURCE_ANNOTATION, DRIFT_TERRAFORM_PLAN_ANNOTATION]}
      />
    );
  }

  const annotations = entity.metadata.annotations ?? {};
  return (
    <InfoCard title="Drift sources">
      <StructuredMetadataTable
        metadata={{
          'desired state': annotations[DRIFT_SOURCE_ANNOTATION] ?? 'none',
          'terraform plan': annotations[DRIFT_TERRAFORM_PLAN_ANNOTATION] ?? 'none',
          'kubernetes id': annotations[KUBERNETES_ID_ANNOTATION] ?? 'none',
          tier: annotations[DRIFT_TIER_ANNOTATION] ?? 'from configuration',
        }}
      />
    </InfoCard>
  );
};
