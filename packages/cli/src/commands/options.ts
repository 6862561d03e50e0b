import { InvalidArgumentError } from 'commander';

export function intOption(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} wants a whole number ≥ 0, got "${v}"`);
    return n;
  };
}

export function numberOption(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${flag} wants a number, got "${v}"`);
    return n;
  };
}

/** `--param k=v` repeated → { k: v } (numbers parsed, the rest kept as text) */
export function collectParam(v: string, acc: Record<string, string | number> = {}) {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--param wants name=value, got "${v}"`);
  const key = v.slice(0, eq);
  const raw = v.slice(eq + 1);
  const n = Number(raw);
  return { ...acc, [key]: raw !== '' && Number.isFinite(n) ? n : raw };
}
