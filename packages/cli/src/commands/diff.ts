import { randomBytes } from 'node:crypto';
import {
  ManifestError,
  diffResources,
  parseIgnoreRules,
  type IgnoreRule,
} from '@driftwatch/plugin-drift-common';
import { CliError, EXIT_DRIFT, EXIT_IN_SYNC } from '../errors';
import { readManifests, readTextFile } from '../io/readInputs';
import { renderJson } from '../output/json';
import { renderText, type Style } from '../output/text';

/** Options of `driftwatch diff`. */
export interface DiffCommandOptions {
  desired: string[];
  live: string[];
  ignore?: string[];
  output: 'text' | 'json';
  selector?: string;
  maxFileBytes: number;
}

function parseSelector(
  text: string | undefined,
): Record<string, string> | undefined {
  if (!text) return undefined;
  const selector: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    if (!key.trim() || rest.length === 0)
      throw new CliError(`--selector: "${part}" is not key=value`);
    selector[key.trim()] = rest.join('=').trim();
  }
  return selector;
}

/** Runs `driftwatch diff` and returns the text to print and the exit code. */
export function runDiff(
  options: DiffCommandOptions,
  style: Style,
): { output: string; exitCode: number } {
  const ignore: IgnoreRule[] = [];
  for (const file of options.ignore ?? []) {
    try {
      ignore.push(
        ...parseIgnoreRules(readTextFile(file, options.maxFileBytes), file),
      );
    } catch (error) {
      if (error instanceof ManifestError) throw new CliError(error.message);
      throw error;
    }
  }
  const desired = readManifests(options.desired, options.maxFileBytes);
  const live = readManifests(options.live, options.maxFileBytes);
  const report = diffResources(desired, live, {
    ignore,
    appSelector: parseSelector(options.selector),
    // A random key per run: fingerprints tell values apart within a report, and cannot be
    // brute-forced back into short Secret values.
    secretHashKey: randomBytes(32),
  });
  const output =
    options.output === 'json' ? renderJson(report) : renderText(report, style);
  return { output, exitCode: report.drifted ? EXIT_DRIFT : EXIT_IN_SYNC };
}
