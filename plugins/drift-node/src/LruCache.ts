/** Options of {@link LruCache}. @public */
export interface LruCacheOptions<V> {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept, as `sizeOf` counts them; without it only entries are counted. */
  maxBytes?: number;
  /** The approximate size of a value in bytes. */
  sizeOf?: (value: V) => number;
}

/**
 * A map that forgets its least recently used entries first, bounded by count and by size, so a
 * cache of everything a backend has read or compared cannot grow without end. A value larger
 * than `maxBytes` on its own is not kept at all.
 *
 * @public
 */
export class LruCache<V> {
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(private readonly options: LruCacheOptions<V>) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const { maxEntries, maxBytes = Infinity, sizeOf } = this.options;
    const bytes = sizeOf ? sizeOf(value) : 0;
    if (bytes > maxBytes || maxEntries < 1) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    while (this.entries.size > maxEntries || this.total > maxBytes) {
      this.delete(this.entries.keys().next().value!);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** How many bytes the kept values count, by `sizeOf`. */
  get bytes(): number {
    return this.total;
  }
}
