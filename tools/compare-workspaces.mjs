#!/usr/bin/env node
// Compares two workspaces of the same workflow file by file, byte for byte — e.g. one written by
// main's build and one by a branch's, to show a change left every result as it was:
//
//   node tools/compare-workspaces.mjs WORKSPACE_A WORKSPACE_B [--equate /work/main=/work/wt-x ...]
//
// Every file of either tree is compared. Only what a run may differ in by design is set aside
// before comparing: in checkpoints/*.json the timings (`seconds`, `stages`, `completed_at`); in
// JSON files the workspace's own absolute path (a manifest names its folders) and the times a
// run started or ended. `--equate A=B` reads A in the first workspace's JSON as B (runs from two
// checkouts name their own copy of the embedded data); the hashes over those paths
// (`config_hash`, `inputs_hash`) are then set aside too. Prints one line per differing or missing
// file; exit code 1 if any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const args = process.argv.slice(2);
const equate = [];
for (let i = args.indexOf('--equate'); i >= 0; i = args.indexOf('--equate')) {
  const [from, to] = (args[i + 1] ?? '').split('=');
  if (!from || to === undefined) {
    console.error('--equate needs FROM=TO');
    process.exit(2);
  }
  equate.push([from, to]);
  args.splice(i, 2);
}
const [a, b] = args.map((d) => d && resolve(d));
if (!a || !b) {
  console.error('usage: node tools/compare-workspaces.mjs WORKSPACE_A WORKSPACE_B');
  process.exit(2);
}

const VOLATILE = new Set(['seconds', 'stages', 'completed_at', 'created_at', 'started_at', 'finished_at', 'updated_at', ...(equate.length ? ['config_hash', 'inputs_hash'] : [])]);

function files(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** The bytes, or for JSON the text with the workspace's path and run times set aside. */
function comparable(root, file) {
  const bytes = readFileSync(join(root, file));
  if (!file.endsWith('.json')) return bytes;
  let text = bytes.toString('utf8').split(JSON.stringify(root).slice(1, -1)).join('<workspace>');
  if (root === a) for (const [from, to] of equate) text = text.split(from).join(to);
  const strip = (v) => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !VOLATILE.has(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return Buffer.from(JSON.stringify(strip(JSON.parse(text))));
}

const fa = files(a);
const fb = new Set(files(b));
let bad = 0;
for (const f of fa) {
  if (!fb.has(f)) {
    console.log(`only in ${a}: ${f}`);
    bad++;
    continue;
  }
  fb.delete(f);
  if (!comparable(a, f).equals(comparable(b, f))) {
    console.log(`differs: ${f}`);
    bad++;
  }
}
for (const f of fb) {
  console.log(`only in ${b}: ${f}`);
  bad++;
}
console.log(`${fa.length} files in ${a}; ${bad === 0 ? 'every one identical' : `${bad} differ`}`);
process.exit(bad === 0 ? 0 : 1);
