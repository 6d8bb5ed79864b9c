import { canonicalQuantity, formatQuantity, parseQuantity } from './quantity';

describe('quantities', () => {
  it.each([
    ['0.5', '500m'],
    ['500m', '500m'],
    ['1', '1'],
    ['1000m', '1'],
    ['1.5', '1500m'],
    ['1024Mi', '1Gi'],
    ['1Gi', '1Gi'],
    ['1073741824', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1e3', '1k'],
    ['1k', '1k'],
    ['0', '0'],
    ['100n', '100n'],
    ['-1', '-1'],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalQuantity(input)).toBe(canonical);
  });

  it('reads numbers written as YAML numbers', () => {
    expect(canonicalQuantity(0.25)).toBe('250m');
    expect(canonicalQuantity(2)).toBe('2');
  });

  it('leaves text that is not a quantity alone', () => {
    expect(canonicalQuantity('lots')).toBe('lots');
    expect(parseQuantity('1Zi')).toBeUndefined();
  });

  it('rounds values finer than a nano-unit up, as Kubernetes does', () => {
    expect(formatQuantity(parseQuantity('0.0000000001')!)).toBe('1n');
  });
});
