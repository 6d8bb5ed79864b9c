import { ConfigReader } from '@backstage/config';
import { readRenderConfig } from './config';

describe('readRenderConfig', () => {
  it('defaults to the binaries on PATH, 30 seconds and 32 MiB', () => {
    expect(readRenderConfig(new ConfigReader({}))).toEqual({
      timeoutMs: 30_000,
      maxOutputBytes: 32 * 1024 * 1024,
      maxInputBytes: 32 * 1024 * 1024,
    });
  });

  it('reads drift.render', () => {
    const config = new ConfigReader({
      drift: {
        render: {
          helm: '/opt/helm/bin/helm',
          kustomize: '/opt/kustomize',
          timeout: '45s',
          maxOutputBytes: 1048576,
          maxInputBytes: 2048,
        },
      },
    });
    expect(readRenderConfig(config)).toEqual({
      helm: '/opt/helm/bin/helm',
      kustomize: '/opt/kustomize',
      timeoutMs: 45_000,
      maxOutputBytes: 1048576,
      maxInputBytes: 2048,
    });
    expect(
      readRenderConfig(new ConfigReader({ drift: { render: { timeout: { minutes: 1 } } } })).timeoutMs,
    ).toBe(60_000);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() =>
      readRenderConfig(new ConfigReader({ drift: { render: { maxOutputBytes: 0 } } })),
    ).toThrow('drift.render.maxOutputBytes must be a positive integer, got 0');
  });
});
