import { LruCache } from './LruCache';

describe('LruCache', () => {
  it('forgets the least recently used entry beyond its entries', () => {
    const cache = new LruCache<number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('forgets the oldest entries beyond its bytes, and never keeps a value too large alone', () => {
    const cache = new LruCache<string>({
      maxEntries: 10,
      maxBytes: 10,
      sizeOf: value => value.length,
    });
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.set('c', 'cccc');

    expect(cache.get('a')).toBeUndefined();
    expect([cache.get('b'), cache.get('c')]).toEqual(['bbbb', 'cccc']);
    expect(cache.bytes).toBe(8);

    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBe(8);
  });

  it('counts a replaced value once', () => {
    const cache = new LruCache<string>({
      maxEntries: 10,
      maxBytes: 10,
      sizeOf: value => value.length,
    });
    cache.set('a', 'aaaaaa');
    cache.set('a', 'aaaaaaa');
    cache.delete('missing');

    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(7);
    cache.delete('a');
    expect(cache.bytes).toBe(0);
  });
});
