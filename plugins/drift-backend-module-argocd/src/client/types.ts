/** Where an Argo CD application deploys: a cluster by API server URL or by name, and a namespace. */
export interface ArgoCdDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** The parts of an Argo CD `Application` that Driftwatch reads. */
export interface ArgoCdApplication {
  metadata?: { name?: string; namespace?: string };
  spec?: { destination?: ArgoCdDestination };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
  };
}

/** Which application of an instance: its name and, for apps in any namespace, its namespace. */
export interface ArgoCdAppRef {
  name: string;
  appNamespace?: string;
}
