// Target positions of the five built-in strategies (src/reference/strategies/*), written for every
// bar of pos[0..len): 0 during warm-up, then the reference rule with the DESIGN §5 tolerance
// compare. `longOnly` maps −1 to 0 afterwards, as the reference's applySide does.

// @ts-ignore: decorator
@inline const TOL: f64 = 1e-9;

// @ts-ignore: decorator
@inline function gt(a: f64, b: f64): bool { return a - b > TOL * Math.abs(b); }
// @ts-ignore: decorator
@inline function lt(a: f64, b: f64): bool { return b - a > TOL * Math.abs(b); }

// @ts-ignore: decorator
@inline function at(p: usize, t: i32): usize { return p + (<usize>t << 3); }

function zero(pos: usize, from: i32, to: i32): void {
  for (let t: i32 = from; t < to; t++) store<f64>(at(pos, t), 0.0);
}

function applySide(pos: usize, len: i32, longOnly: bool): void {
  if (!longOnly) return;
  for (let t: i32 = 0; t < len; t++) if (load<f64>(at(pos, t)) < 0) store<f64>(at(pos, t), 0.0);
}

export function momentumPositions(close: usize, len: i32, lookback: i32, threshold: f64, longOnly: bool, pos: usize): void {
  const warm: i32 = min(lookback, len);
  zero(pos, 0, warm);
  const up: f64 = threshold;
  const down: f64 = -threshold;
  for (let t: i32 = lookback; t < len; t++) {
    const m: f64 = load<f64>(at(close, t)) / load<f64>(at(close, t - lookback)) - 1;
    store<f64>(at(pos, t), gt(m, up) ? 1.0 : lt(m, down) ? -1.0 : 0.0);
  }
  applySide(pos, len, longOnly);
}

export function meanReversionPositions(close: usize, avg: usize, len: i32, lookback: i32, threshold: f64, longOnly: bool, pos: usize): void {
  const first: i32 = max(0, lookback - 1);
  zero(pos, 0, min(first, len));
  const up: f64 = threshold;
  const down: f64 = -threshold;
  for (let t: i32 = first; t < len; t++) {
    const d: f64 = load<f64>(at(close, t)) / load<f64>(at(avg, t)) - 1;
    store<f64>(at(pos, t), lt(d, down) ? 1.0 : gt(d, up) ? -1.0 : 0.0);
  }
  applySide(pos, len, longOnly);
}

export function smaCrossPositions(fast: usize, slow: usize, len: i32, first: i32, longOnly: bool, pos: usize): void {
  zero(pos, 0, min(first, len));
  for (let t: i32 = max(first, 0); t < len; t++) {
    const f: f64 = load<f64>(at(fast, t));
    const s: f64 = load<f64>(at(slow, t));
    store<f64>(at(pos, t), gt(f, s) ? 1.0 : lt(f, s) ? -1.0 : 0.0);
  }
  applySide(pos, len, longOnly);
}

export function breakoutPositions(close: usize, upper: usize, lower: usize, len: i32, lookback: i32, longOnly: bool, pos: usize): void {
  zero(pos, 0, min(lookback, len));
  let held: f64 = 0;
  for (let t: i32 = lookback; t < len; t++) {
    const c: f64 = load<f64>(at(close, t));
    if (gt(c, load<f64>(at(upper, t - 1)))) held = 1.0;
    else if (lt(c, load<f64>(at(lower, t - 1)))) held = -1.0;
    store<f64>(at(pos, t), held);
  }
  applySide(pos, len, longOnly);
}

export function rsiPositions(r: usize, len: i32, period: i32, lower: f64, upper: f64, longOnly: bool, pos: usize): void {
  zero(pos, 0, min(period, len));
  let held: f64 = 0;
  for (let t: i32 = period; t < len; t++) {
    const v: f64 = load<f64>(at(r, t));
    if (lt(v, lower)) held = 1.0;
    else if (gt(v, upper)) held = -1.0;
    else if (held == 1.0 && !isNaN(v) && !lt(v, 50.0)) held = 0.0;
    else if (held == -1.0 && !isNaN(v) && !gt(v, 50.0)) held = 0.0;
    store<f64>(at(pos, t), held);
  }
  applySide(pos, len, longOnly);
}
