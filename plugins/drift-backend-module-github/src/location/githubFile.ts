import type {
  GithubIntegration,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type { DesiredObjectSource } from '@driftwatch/plugin-drift-node';

/** The repository, ref and file of a desired object, as a GitHub integration serves it. */
export interface GitHubFile {
  integration: GithubIntegration;
  owner: string;
  repo: string;
  /** The ref in the URL; undefined when the URL names none (the default branch). */
  ref?: string;
  /** The file in the repository; undefined when the source names only a folder. */
  path?: string;
  /** The document of `path` to edit, when the file can be edited. */
  document?: number;
  rendered: boolean;
}

/** Why a finding's source is not a GitHub file. */
export type NotGitHub = { reason: string };

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

function joinPath(...parts: Array<string | undefined>): string {
  return parts
    .flatMap(part => (part ?? '').split('/'))
    .filter(segment => segment && segment !== '.')
    .join('/');
}

/**
 * Where a desired object lives on GitHub: `url:https://<host>/<owner>/<repo>/(blob|tree)/<ref>/<path>`
 * with `file` below it for a folder location. The first segment after `blob` or `tree` is the
 * ref, as Backstage's GitHub URL reader reads it.
 */
export function resolveGitHubFile(
  source: DesiredObjectSource | undefined,
  integrations: ScmIntegrationRegistry,
): GitHubFile | NotGitHub {
  if (!source)
    return { reason: 'the finding does not say where Git declares it' };
  const raw = source.location.replace(/^url:/, '').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: `its source ${source.location} is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { reason: `its source ${source.location} is not a GitHub URL` };
  }
  const integration = integrations.github.byUrl(url.href);
  if (!integration) {
    return {
      reason: `no integrations.github entry serves ${url.host}, the host of its source`,
    };
  }
  const [owner, repoSegment, kind, ref, ...rest] = url.pathname
    .split('/')
    .filter(Boolean)
    .map(segment => decodeURIComponent(segment));
  const repo = repoSegment?.replace(/\.git$/, '');
  if (!owner || !repo || (kind && kind !== 'blob' && kind !== 'tree')) {
    return {
      reason: `its source ${source.location} does not name a GitHub repository (https://${url.host}/<owner>/<repo>/tree/<ref>/<path>)`,
    };
  }
  const locationPath = joinPath(...rest);
  // A location that is a file carries the file's own name as `file`. GitHub and the UrlReader
  // accept `blob/` for folders too, so the file name decides when there is one.
  const isFile = source.file
    ? MANIFEST_FILE.test(locationPath) && locationPath.endsWith(source.file)
    : kind === 'blob' || MANIFEST_FILE.test(locationPath);
  let path: string | undefined;
  if (isFile) path = locationPath || undefined;
  else if (source.file) path = joinPath(locationPath, source.file);
  return {
    integration,
    owner,
    repo,
    ref: kind ? ref : undefined,
    path,
    document: source.document,
    rendered: source.rendered ?? false,
  };
}
