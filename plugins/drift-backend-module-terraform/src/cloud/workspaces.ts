import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

import { DRIFT_TERRAFORM_WORKSPACE_ANNOTATION } from '@driftwatch/plugin-drift-common';

export { DRIFT_TERRAFORM_WORKSPACE_ANNOTATION };

/** One workspace of the annotation. */
export interface WorkspaceRef {
  organization: string;
  name: string;
}

// Both names allow letters, digits, `-` and `_` only.
const WORKSPACE = /^([A-Za-z0-9_-]+)\/([A-Za-z0-9_-]+)$/;

/** `acme/network`, as the annotation and the messages name a workspace. */
export function workspaceLabel(workspace: WorkspaceRef): string {
  return `${workspace.organization}/${workspace.name}`;
}

/** The workspaces an entity names; throws an `InputError` naming the annotation for a bad one. */
export function readWorkspaces(entity: Entity): WorkspaceRef[] {
  const value =
    entity.metadata.annotations?.[DRIFT_TERRAFORM_WORKSPACE_ANNOTATION] ?? '';
  return value
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(Boolean)
    .map(entry => {
      const match = WORKSPACE.exec(entry);
      if (!match) {
        throw new InputError(
          `${DRIFT_TERRAFORM_WORKSPACE_ANNOTATION}: "${entry}" is not <organization>/<workspace>`,
        );
      }
      return { organization: match[1], name: match[2] };
    });
}
