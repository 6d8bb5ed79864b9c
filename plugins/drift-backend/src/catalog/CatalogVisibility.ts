import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { DRIFT_LINK_ANNOTATIONS } from '@driftwatch/plugin-drift-common';

const PAGE_SIZE = 1000;
const MAX_CACHED_PRINCIPALS = 1000;

/**
 * Which drift-linked entities a caller can see in the catalog, asked with the caller's own
 * credentials so the catalog's permission policy decides. Answers are kept for a few seconds
 * per principal: a page load makes several drift requests at once.
 */
export class CatalogVisibility {
  private readonly cache = new Map<string, { expires: number; refs: Promise<readonly string[]> }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly ttlMs = 10_000,
  ) {}

  async visibleEntityRefs(credentials: BackstageCredentials): Promise<readonly string[]> {
    const key = principalKey(credentials);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return cached.refs;

    const refs = this.query(credentials);
    this.cache.delete(key);
    this.cache.set(key, { expires: now + this.ttlMs, refs });
    if (this.cache.size > MAX_CACHED_PRINCIPALS) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    // A failed answer is not kept.
    refs.catch(() => {
      if (this.cache.get(key)?.refs === refs) this.cache.delete(key);
    });
    return refs;
  }

  private async query(credentials: BackstageCredentials): Promise<readonly string[]> {
    const refs: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE, fields: ['kind', 'metadata.namespace', 'metadata.name'] }
          : {
              filter: DRIFT_LINK_ANNOTATIONS.map(a => ({
                [`metadata.annotations.${a}`]: CATALOG_FILTER_EXISTS,
              })),
              limit: PAGE_SIZE,
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
            },
        { credentials },
      );
      refs.push(...page.items.map(entity => stringifyEntityRef(entity)));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    // Shared by every request of the reader until it expires, and keyed on by the read cache.
    return Object.freeze(refs);
  }
}

function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
  return `${principal.type}:${principal.userEntityRef ?? principal.subject ?? ''}`;
}
