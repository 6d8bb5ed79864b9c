import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `drift.github`, with its defaults. */
export interface GitHubActionConfig {
  enabled: boolean;
  convergenceScans: number;
  noteFolder: string;
}

export const DEFAULT_NOTE_FOLDER = '.driftwatch/drift-notes';

/** Reads `drift.github`. Throws an InputError for a value that cannot work. */
export function readGitHubActionConfig(config: Config): GitHubActionConfig {
  const github = config.getOptionalConfig('drift.github');
  const convergenceScans = github?.getOptionalNumber('convergenceScans') ?? 2;
  if (!Number.isInteger(convergenceScans) || convergenceScans < 1) {
    throw new InputError(
      'drift.github.convergenceScans must be a whole number of at least 1',
    );
  }
  const noteFolder = (
    github?.getOptionalString('noteFolder') ?? DEFAULT_NOTE_FOLDER
  ).replace(/^\/+|\/+$/g, '');
  if (!noteFolder || noteFolder.split('/').includes('..')) {
    throw new InputError(
      'drift.github.noteFolder must be a folder inside the repository',
    );
  }
  return {
    enabled: github?.getOptionalBoolean('enabled') ?? false,
    convergenceScans,
    noteFolder,
  };
}
