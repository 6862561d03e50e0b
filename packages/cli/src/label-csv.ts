import { NO_REGIME, writeFileAtomic, type RegimeTrack } from '@regimen/core';
import { isoTime, probabilityColumn } from '@regimen/data';

// regime names are the plugin's to choose, so quote the rare one holding a comma or quote (RFC 4180)
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Per-bar labels as CSV, the same columns as the Arrow label file (time, label, regime, p_<regime>…):
 * time as ISO text, label 255 and an empty regime during warm-up. Probabilities keep every digit
 * (shortest round-trip form) so a reader gets back exactly what the classifier produced.
 */
export function labelsCsv(track: RegimeTrack, time: Float64Array, probabilities?: Float64Array[]): string {
  const header = ['time', 'label', 'regime', ...(probabilities ? track.names.map(probabilityColumn) : [])];
  const lines = [header.map(cell).join(',')];
  for (let t = 0; t < track.labels.length; t++) {
    const l = track.labels[t]!;
    const cells = [isoTime(time[t]!), String(l), l === NO_REGIME ? '' : cell(track.names[l]!)];
    if (probabilities) for (const p of probabilities) cells.push(String(p[t]));
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

export function writeLabelsCsv(path: string, track: RegimeTrack, time: Float64Array, probabilities?: Float64Array[]): void {
  writeFileAtomic(path, labelsCsv(track, time, probabilities));
}
