import {
  TerraformPlanError,
  diffTerraformPlan,
} from '@driftwatch/plugin-drift-common';
import { CliError, EXIT_DRIFT, EXIT_IN_SYNC } from '../errors';
import { readTextFile } from '../io/readInputs';
import { renderJson } from '../output/json';
import { renderText, type Style } from '../output/text';

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++)
    if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Runs `driftwatch terraform` and returns the text to print and the exit code. */
export function runTerraform(
  file: string,
  options: { output: 'text' | 'json'; maxFileBytes: number },
  style: Style,
): { output: string; exitCode: number } {
  const text = readTextFile(file, options.maxFileBytes);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    // The parser's own message may quote the input, which may hold sensitive values.
    const position = /position (\d+)/.exec(
      error instanceof Error ? error.message : '',
    );
    const where = position
      ? ` at line ${lineAt(text, Number(position[1]))}`
      : '';
    throw new CliError(
      `${file}: document 1: invalid JSON${where} (expected \`terraform show -json\` output)`,
    );
  }
  let report;
  try {
    report = diffTerraformPlan(plan);
  } catch (error) {
    if (error instanceof TerraformPlanError)
      throw new CliError(`${file}: document 1: ${error.message}`);
    throw error;
  }
  const output =
    options.output === 'json'
      ? renderJson(report)
      : renderText(report, style, 'state');
  return { output, exitCode: report.drifted ? EXIT_DRIFT : EXIT_IN_SYNC };
}
