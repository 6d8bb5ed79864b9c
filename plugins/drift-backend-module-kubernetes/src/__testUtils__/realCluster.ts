import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { readDriftKubernetesConfig } from '../config';
import { createClusters } from '../module';
import { KubernetesLiveTarget } from '../target/KubernetesLiveTarget';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
const KUBE_SH = path.join(ROOT, 'scripts/kube.sh');

/** A kube-apiserver on loopback, started by `scripts/kube.sh`. */
export interface RealCluster {
  /** The state directory: kubeconfigs, certificates, tokens, logs. */
  dir: string;
  url: string;
  /** PEM of the API server's serving certificate, base64 (the kubeconfig `caData` form). */
  caData: string;
  /** Token of the read-only `driftwatch` identity. */
  readerToken: string;
  /** Runs kubectl as the admin identity; rejects with stderr on a non-zero exit. */
  kubectl(args: string[], input?: string, env?: Record<string, string>): Promise<string>;
  /** Like {@link kubectl}, but resolves with the exit code and both streams. */
  tryKubectl(
    args: string[],
    input?: string,
    env?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Runs a `scripts/kube.sh` command against this control plane. */
  script(command: string): Promise<void>;
}

function exitCode(error: { code?: unknown } | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 1;
}

function exportValue(line: string, name: string): string {
  const match = line.match(new RegExp(`export ${name}=([^;]+)(;|$)`));
  if (!match) throw new Error(`scripts/kube.sh printed no ${name}: ${line}`);
  return match[1];
}

/**
 * Starts (or finds running) the real control plane. `dir` gives a private one, for tests that
 * restart or stop their API server; otherwise the shared one of `scripts/test.sh`
 * (DRIFTWATCH_KUBE_DIR) or of `bash scripts/kube.sh up` is used. A first call builds the
 * binaries from Go modules when the cache lacks them, which takes minutes.
 */
export async function startRealCluster(dir?: string): Promise<RealCluster> {
  const env = { ...process.env, ...(dir ? { DRIFTWATCH_KUBE_DIR: dir } : {}) };
  const up = await run('bash', [KUBE_SH, 'up'], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = up.stdout.trim().split('\n').at(-1) ?? '';
  const kubeconfig = exportValue(line, 'KUBECONFIG');
  const bin = exportValue(line, 'PATH').replace(/:\$PATH$/, '');
  const state = path.dirname(kubeconfig);
  const read = (file: string) => fs.readFile(path.join(state, file), 'utf8');
  const port = (await read('apiserver.port')).trim();
  const kubectlEnv = {
    ...env,
    KUBECONFIG: kubeconfig,
    PATH: `${bin}:${process.env.PATH}`,
  };

  const tryKubectl = (args: string[], input?: string, extraEnv = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>(resolve => {
      const child = execFile(
        path.join(bin, 'kubectl'),
        args,
        { env: { ...kubectlEnv, ...extraEnv }, maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) =>
          resolve({
            code: exitCode(error),
            stdout,
            stderr,
          }),
      );
      if (input !== undefined) child.stdin!.end(input);
    });

  return {
    dir: state,
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(await read('certs/apiserver.crt')).toString('base64'),
    readerToken: (await read('driftwatch.token')).trim(),
    tryKubectl,
    async kubectl(args, input, extraEnv) {
      const result = await tryKubectl(args, input, extraEnv);
      if (result.code !== 0) {
        throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
      }
      return result.stdout;
    },
    async script(command) {
      await run('bash', [KUBE_SH, command], { env: { ...env, DRIFTWATCH_KUBE_DIR: state } });
    },
  };
}

/** The Kubernetes plugin's cluster configuration of a real cluster, read-only identity. */
export function clusterConfig(name: string, cluster: RealCluster) {
  return {
    name,
    url: cluster.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: cluster.readerToken,
    caData: cluster.caData,
  };
}

/**
 * The module's target for real clusters, built the way the module builds it from app-config:
 * `kubernetes.clusterLocatorMethods` of type `config` and `drift.kubernetes`.
 */
export function realTarget(
  clusters: Record<string, RealCluster>,
  drift: JsonObject = {},
  logger: LoggerService = mockServices.logger.mock(),
): KubernetesLiveTarget {
  const config = new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: Object.entries(clusters).map(([name, cluster]) =>
            clusterConfig(name, cluster),
          ),
        },
      ],
    },
    drift: { kubernetes: drift },
  });
  const settings = readDriftKubernetesConfig(config);
  return new KubernetesLiveTarget({
    clusters: createClusters(config, logger),
    extraKinds: settings.extraKinds,
    scope: settings.scope,
  });
}
