/**
 * The state a step hook (ClassifierPlugin.labelStep, StrategyPlugin.step) hands to the next call,
 * as JSON text that gives back the same bits. JSON has no NaN, ±Infinity or −0 (an indicator
 * still warming up is NaN; a product can be −0), so those numbers are written as
 * `{"$f64": "NaN" | "Infinity" | "-Infinity" | "-0"}`; every other double round-trips through
 * JSON exactly (shortest round-trip text). Typed arrays are written as plain arrays.
 */
const SPECIAL = '$f64';

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return null;
}

/** The state as a JSON-ready value: special numbers boxed, typed arrays as plain arrays. */
export function encodeStepState(value: unknown): unknown {
  if (typeof value === 'number') {
    const s = special(value);
    return s === null ? value : { [SPECIAL]: s };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, encodeStepState);
  if (Array.isArray(value)) return value.map(encodeStepState);
  if (value && typeof value === 'object') {
    // a plain loop: a memory is encoded on every call (and on every bar of a replay)
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = encodeStepState((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** The inverse of encodeStepState (typed arrays come back as plain arrays of numbers). */
export function decodeStepState(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeStepState);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === SPECIAL) {
      const s = (value as Record<string, unknown>)[SPECIAL];
      return s === '-0' ? -0 : Number(s);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decodeStepState((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * `parse` remembered per object: a step hook is called bar by bar with the same model object, and
 * validating it once (not per bar) is most of what a one-bar step would otherwise cost. Other
 * values are parsed every time.
 */
export function parsedOnce<T>(parse: (value: unknown) => T): (value: unknown) => T {
  const seen = new WeakMap<object, T>();
  return (value) => {
    if (typeof value !== 'object' || value === null) return parse(value);
    let v = seen.get(value);
    if (v === undefined) seen.set(value, (v = parse(value)));
    return v;
  };
}
