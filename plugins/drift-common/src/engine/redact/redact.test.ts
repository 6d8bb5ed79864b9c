import { createHash, createHmac } from 'node:crypto';
import { hmacSha256, sha256Hex, toHex } from './sha256';
import {
  base64Decode,
  base64Encode,
  canonicalBase64,
  utf8Encode,
} from './encoding';
import { diffYaml } from '../testing/helpers';

describe('sha256', () => {
  it.each([
    '',
    'abc',
    'a'.repeat(55),
    'a'.repeat(56),
    'a'.repeat(64),
    'ünïcødé ✓ 🚀',
    'x'.repeat(1000),
  ])('matches node:crypto for %j', text => {
    expect(sha256Hex(text)).toBe(
      createHash('sha256').update(text, 'utf8').digest('hex'),
    );
    expect(toHex(hmacSha256('key', text))).toBe(
      createHmac('sha256', 'key').update(text, 'utf8').digest('hex'),
    );
  });

  it('handles keys longer than a block', () => {
    const key = 'k'.repeat(100);
    expect(toHex(hmacSha256(key, 'data'))).toBe(
      createHmac('sha256', key).update('data').digest('hex'),
    );
  });
});

describe('base64', () => {
  it('round-trips and agrees with Buffer', () => {
    for (const text of ['', 'f', 'fo', 'foo', 'foob', 'päss', '🚀']) {
      const bytes = utf8Encode(text);
      expect(Buffer.from(bytes).toString('utf8')).toBe(text);
      expect(base64Encode(bytes)).toBe(
        Buffer.from(text, 'utf8').toString('base64'),
      );
      expect(
        Buffer.from(base64Decode(base64Encode(bytes))!).toString('utf8'),
      ).toBe(text);
    }
  });

  it('canonicalizes wrapped base64 and leaves other text alone', () => {
    expect(canonicalBase64('aGVs\nbG8=')).toBe('aGVsbG8=');
    expect(canonicalBase64('not base64!')).toBe('not base64!');
  });
});

describe('Secret values never leave the engine', () => {
  const desired = `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: s3cr3t-Old-Value, user: app}
`;
  const live = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"s3cr3t-Old-Value"}}'
type: Opaque
data:
  password: ${Buffer.from('n3w-Secret-Value').toString('base64')}
  user: YXBw
  token: ${Buffer.from('added-live-token').toString('base64')}
`;

  it('reports that a value changed with fingerprints only', () => {
    const report = diffYaml(desired, live, { secretHashKey: 'run-key' });
    const text = JSON.stringify(report);
    for (const secret of [
      's3cr3t-Old-Value',
      'n3w-Secret-Value',
      'added-live-token',
    ]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
    const [resource] = report.resources;
    expect(resource.status).toBe('drifted');
    expect(
      resource.changes.map(c => `${c.op} ${c.path} ${c.category}`),
    ).toEqual([
      'changed /data/password SecretChange',
      'added /data/token SecretChange',
    ]);
    expect(resource.changes[0].desired).toEqual({
      redacted: true,
      sha256: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(resource.changes[0].desired).not.toEqual(resource.changes[0].live);
    expect(resource.changes[1].desired).toBeNull();
  });

  it('refuses to fingerprint without a key', () => {
    expect(() => diffYaml(desired, live)).toThrow(
      'Cannot fingerprint the value of password in /Secret/shop/db: no secretHashKey given',
    );
  });

  it('binds the fingerprint to the key, the Secret and the data key', () => {
    const value = Buffer.from('same-password').toString('base64');
    const secret = (name: string, data: Record<string, string>) =>
      `apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: shop}
data: {${Object.entries(data)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}}
---
`;
    const gitSide = secret('a', { x: 'b2xk' }) + secret('b', { x: 'b2xk' }) + secret('c', { x: 'b2xk', y: 'b2xk' });
    const liveSide = secret('a', { x: value }) + secret('b', { x: value }) + secret('c', { x: value, y: value });
    const fingerprints = (key: string) =>
      diffYaml(gitSide, liveSide, { secretHashKey: key }).resources.flatMap(r =>
        r.changes.map(c => (c.live as { sha256: string }).sha256),
      );
    const [inA, inB, inC, underY] = fingerprints('k');
    expect(new Set([inA, inB, inC, underY]).size).toBe(4);
    expect(fingerprints('k')).toEqual([inA, inB, inC, underY]);
    expect(fingerprints('other-key')[0]).not.toBe(inA);
    // Not the unkeyed digest of the value that anyone could compute.
    expect(inA).not.toBe(sha256Hex('same-password').slice(0, 12));
  });

  it('fingerprints data and stringData spellings alike', () => {
    const asData = desired.replace(
      'stringData: {password: s3cr3t-Old-Value, user: app}',
      `data: {password: ${Buffer.from('s3cr3t-Old-Value').toString('base64')}, user: YXBw}`,
    );
    const [spelled, encoded] = [desired, asData].map(
      text => diffYaml(text, live, { secretHashKey: 'k' }).resources[0].changes[0],
    );
    expect(encoded.path).toBe('/data/password');
    expect(encoded.desired).toEqual(spelled.desired);
  });
});
