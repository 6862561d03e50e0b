// Checks and finishes the target positions a strategy plugin wrote into pos[0..len)
// (src/strategy-plugins/finish.ts is the reference): every value finite and in [−1, 1], and 0
// before bar `warm`. Returns the first bar that breaks a rule, or −1 when none does. Long-only
// maps every short position to flat (pos < 0 → 0), as the built-ins' applySide does; the pass
// stops at a bad bar, so the caller discards the series then.
// NaN fails `v >= −1 && v <= 1`, and −0 counts as 0.
export function finishPositions(pos: usize, len: i32, warm: i32, longOnly: bool): i32 {
  for (let t: i32 = 0; t < len; t++) {
    const at: usize = pos + (<usize>t << 3);
    const v: f64 = load<f64>(at);
    if (!(v >= -1.0 && v <= 1.0) || (t < warm && v != 0.0)) return t;
    if (longOnly && v < 0.0) store<f64>(at, 0.0);
  }
  return -1;
}
