import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

describe('openapi.generated.ts', () => {
  it('matches openapi.yaml', () => {
    const script = resolve(__dirname, '../../scripts/generate-openapi.mjs');
    // Exits non-zero, failing the test, when the YAML changed without regenerating.
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
