/** One environment of `drift.environments`. */
export interface EnvironmentConfig {
  name: string;
  /** The clusters the environment runs in, by the names the module knows them under. */
  clusters: string[];
  /** A tier override; it only ever lowers urgency (a larger number than the entity's own). */
  tier?: number;
}

/**
 * The environments of `drift.environments` and the clusters each runs in. A cluster belongs to
 * at most one environment, so every compared resource has one environment at most.
 */
export class Environments {
  private readonly byName = new Map<string, EnvironmentConfig>();
  private readonly byCluster = new Map<string, string>();

  constructor(environments: EnvironmentConfig[]) {
    for (const environment of environments) {
      if (this.byName.has(environment.name)) {
        throw new Error(`drift.environments names '${environment.name}' twice`);
      }
      this.byName.set(environment.name, environment);
      for (const cluster of environment.clusters) {
        const other = this.byCluster.get(cluster);
        if (other) {
          throw new Error(
            `drift.environments puts cluster '${cluster}' in both '${other}' and '${environment.name}'`,
          );
        }
        this.byCluster.set(cluster, environment.name);
      }
    }
  }

  /** True when at least one environment is configured. */
  get configured(): boolean {
    return this.byName.size > 0;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The clusters of an environment. */
  clustersOf(name: string): string[] {
    return this.byName.get(name)?.clusters ?? [];
  }

  /** The environment a cluster belongs to, if any. */
  environmentOf(cluster: string): string | undefined {
    return this.byCluster.get(cluster);
  }
}
