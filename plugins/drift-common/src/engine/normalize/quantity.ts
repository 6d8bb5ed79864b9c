// Kubernetes resource quantities (`500m`, `1Gi`, `1e3`) reduced to one canonical string per
// value, so that `0.5` and `500m`, or `1024Mi` and `1Gi`, compare equal. The value is held
// exactly in nano-units as a BigInt; Kubernetes itself keeps nano precision.

const NANO = 1_000_000_000n;
const BINARY: Record<string, number> = {
  Ki: 1,
  Mi: 2,
  Gi: 3,
  Ti: 4,
  Pi: 5,
  Ei: 6,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const PATTERN =
  /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** The value in nano-units, or undefined when the text is not a quantity. */
export function parseQuantity(text: string): bigint | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', suffix, exponent] = match;
  if (!whole && !fraction) return undefined;
  if (exponent !== undefined && Math.abs(Number(exponent)) > 40)
    return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = fraction.length;
  let numerator = digits * NANO;
  let denominator = pow10(scale);
  if (suffix && suffix in BINARY) {
    numerator *= 1024n ** BigInt(BINARY[suffix]);
  } else {
    const power =
      exponent !== undefined ? Number(exponent) : DECIMAL[suffix ?? ''];
    if (power >= 0) numerator *= pow10(power);
    else denominator *= pow10(-power);
  }
  // Kubernetes rounds values finer than a nano-unit up.
  let nano = numerator / denominator;
  if (nano * denominator !== numerator) nano += 1n;
  return sign === '-' ? -nano : nano;
}

/** The canonical text of a value given in nano-units. */
export function formatQuantity(nano: bigint): string {
  if (nano === 0n) return '0';
  const sign = nano < 0n ? '-' : '';
  const magnitude = nano < 0n ? -nano : nano;
  if (magnitude % NANO === 0n) {
    let value = magnitude / NANO;
    if (value >= 1024n && value % 1024n === 0n) {
      let index = 0;
      while (index < BINARY_SUFFIXES.length - 1 && value % 1024n === 0n) {
        value /= 1024n;
        index++;
      }
      return `${sign}${value}${BINARY_SUFFIXES[index]}`;
    }
    let index = 0;
    while (
      index < DECIMAL_SUFFIXES.length - 1 &&
      value !== 0n &&
      value % 1000n === 0n
    ) {
      value /= 1000n;
      index++;
    }
    return `${sign}${value}${DECIMAL_SUFFIXES[index]}`;
  }
  if (magnitude % 1_000_000n === 0n) return `${sign}${magnitude / 1_000_000n}m`;
  if (magnitude % 1000n === 0n) return `${sign}${magnitude / 1000n}u`;
  return `${sign}${magnitude}n`;
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 10_000;

/** The canonical text of a quantity; text that is not a quantity comes back unchanged. */
export function canonicalQuantity(value: string | number): string {
  const text = typeof value === 'number' ? numberText(value) : value;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const nano = parseQuantity(text);
  const canonical = nano === undefined ? text : formatQuantity(nano);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, canonical);
  return canonical;
}

/** A number written without exponent where possible (0.5 -> "0.5", 1e21 stays exponent form). */
function numberText(value: number): string {
  return String(value);
}
