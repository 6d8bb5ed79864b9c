import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  FindingStatus,
  ResourceStatus,
} from '@driftwatch/plugin-drift-common';
import type { ComponentType, PropsWithChildren } from 'react';

const FINDING_STATUS: Record<
  FindingStatus,
  ComponentType<PropsWithChildren<{}>>
> = {
  active: StatusError,
  acknowledged: StatusWarning,
  suppressed: StatusAborted,
  resolved: StatusOK,
};

const RESOURCE_STATUS: Record<
  ResourceStatus,
  ComponentType<PropsWithChildren<{}>>
> = {
  'in-sync': StatusOK,
  drifted: StatusError,
  missing: StatusError,
  extra: StatusWarning,
  unknown: StatusPending,
};

/** Where a finding is in its lifecycle, with an icon as well as the word. */
export const FindingStatusLabel = (props: { status: FindingStatus }) => {
  const Icon = FINDING_STATUS[props.status] ?? StatusPending;
  return <Icon>{props.status}</Icon>;
};

/** Whether a monitored resource matches Git. */
export const ResourceStatusLabel = (props: { status: ResourceStatus }) => {
  const Icon = RESOURCE_STATUS[props.status] ?? StatusPending;
  return <Icon>{props.status === 'in-sync' ? 'in sync' : props.status}</Icon>;
};
