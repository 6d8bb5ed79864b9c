#!/usr/bin/env node
// Turns src/schema/openapi.yaml into src/schema/openapi.generated.ts: the spec as a typed
// constant, so the router's handlers get request and response types from it.
// Usage: node scripts/generate-openapi.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(root, 'src/schema/openapi.yaml');
const target = resolve(root, 'src/schema/openapi.generated.ts');

export function render(yamlText) {
  const spec = parse(yamlText);
  return `// Generated from openapi.yaml by \`yarn generate:openapi\`; edit the YAML, not this file.
/* eslint-disable */
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}

const output = render(readFileSync(source, 'utf8'));
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== output) {
    console.error(`${target} is out of date: run yarn generate:openapi`);
    process.exit(1);
  }
} else {
  writeFileSync(target, output);
}
