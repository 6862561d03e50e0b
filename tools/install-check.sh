#!/usr/bin/env bash
# Regimen installed as a user installs it, in a temporary folder outside the checkout:
#   1. `npm pack --workspaces` (needs the build: `npm ci` or `npm run build` first); each tarball
#      holds built JavaScript, wasm, the report's browser bundle and embedded data — no src, tests,
#      source maps or tsbuildinfo;
#   2. an empty folder installs every tarball (public dependencies from the registry, or the npm
#      cache when it has them); every @regimen package then imports with Node's default conditions;
#   3. that installation runs the seed workflow (embedded data), writes the report again, runs a
#      small workflow through Redis and a `regimen worker` (when redis-server exists), and one
#      small benchmark suite;
#   4. it scaffolds a classifier, a strategy and an optimizer plugin in folders of their own, each
#      passes `npm install && npm test` (Regimen's packages from the plugin's vendor/; run in the
#      background while step 3 runs: those are mostly waiting on npm), and one workflow loads all
#      three by path.
# Usage: tools/install-check.sh [--keep]   (--keep leaves the temporary folder for a look)
# Under CI=true a missing redis-server fails the check instead of skipping that step.
set -euo pipefail
# job control: every background job is its own process group, so cleanup can end it with its children
set -m
repo="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
[ "${1:-}" = "--keep" ] && keep=true
tmp="$(mktemp -d "${TMPDIR:-/tmp}/regimen-install-check.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if $keep; then echo "kept $tmp"; else rm -rf "$tmp" && step "removed $tmp"; fi
}
trap cleanup EXIT
case "$tmp" in "$repo"/*) echo "install-check: $tmp is inside the checkout" >&2; exit 1 ;; esac

t0=$(date +%s.%N)
step() { printf '[%6.1fs] %s\n' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*"; }
fail() { echo "install-check: $*" >&2; exit 1; }
npmi() { npm install --prefer-offline --no-audit --no-fund --loglevel=error "$@"; }

step "from the checkout: npx regimen --help"
(cd "$repo" && npx --no-install regimen --help >/dev/null)

step "npm pack --workspaces"
mkdir -p "$tmp/packs"
(cd "$repo" && npm pack --workspaces --pack-destination "$tmp/packs" --json --loglevel=error >"$tmp/packs.json")
node -e '
  const packs = require(process.argv[1]);
  let total = 0;
  for (const p of packs) {
    total += p.size;
    const bad = p.files.map((f) => f.path).filter((f) => /^src\/|\.test\.|\.map$|\.tsbuildinfo$/.test(f));
    if (bad.length) { console.error(`${p.name} packs what it does not need: ${bad.slice(0, 5).join(", ")}`); process.exit(1); }
    if (!p.files.some((f) => f.path === "dist/index.js")) { console.error(`${p.name} has no dist/index.js: build first`); process.exit(1); }
    console.log(`  ${p.name.padEnd(28)} ${(p.size / 1024).toFixed(0).padStart(5)} kB packed ${(p.unpackedSize / 1024).toFixed(0).padStart(6)} kB unpacked ${String(p.entryCount).padStart(4)} files`);
  }
  const need = { "@regimen/kernel": "dist/kernel.wasm", "@regimen/report": "dist/browser/main.js", "@regimen/data": "embedded/nyse_composite_daily_close.csv", "@regimen/plugin-testkit": "data/usdchf_30min.csv", "@regimen/cli": "bin/regimen.js" };
  for (const [name, file] of Object.entries(need)) {
    if (!packs.find((p) => p.name === name)?.files.some((f) => f.path === file)) { console.error(`${name} does not pack ${file}`); process.exit(1); }
  }
  console.log(`  ${packs.length} packages, ${(total / 1024).toFixed(0)} kB packed`);
' "$tmp/packs.json"

step "install every tarball into an empty folder"
mkdir -p "$tmp/app"
cd "$tmp/app"
echo '{ "name": "regimen-install-check", "version": "0.0.0", "private": true }' >package.json
npmi "$tmp"/packs/*.tgz
[ -z "$(find node_modules/@regimen -maxdepth 2 -name src)" ] || fail "an installed @regimen package has src/"
node --input-type=module -e '
  import { readdirSync } from "node:fs";
  for (const d of readdirSync("node_modules/@regimen")) await import(`@regimen/${d}`);
  console.log(`  ${readdirSync("node_modules/@regimen").length} @regimen packages import`);
'
npx --no-install regimen --help >/dev/null

step "regimen plugin new classifier|strategy|optimizer; each: npm install && npm test, in the background"
mkdir -p "$tmp/plugins"
for kind in classifier strategy optimizer; do
  (./node_modules/.bin/regimen plugin new "$kind" "my-$kind" --dir "$tmp/plugins/my-$kind" >"$tmp/plugins/new-$kind.log" 2>&1 &&
    cd "$tmp/plugins/my-$kind" && npmi >install.log 2>&1 && npm test >test.log 2>&1) &
  pids+=($!)
  eval "plugin_$kind=\$!"
done

step "regimen run: the seed workflow on the embedded data"
cp "$repo/examples/seed-workflow.yaml" .
npx --no-install regimen run seed-workflow.yaml --out seed --quiet >run.log
[ -s seed/report.html ] || fail "the seed run wrote no report.html"
[ -s seed/analysis/ensemble_weights.json ] || fail "the seed run wrote no ensemble weights"

step "regimen report"
npx --no-install regimen report seed --out seed-again.html >/dev/null
[ "$(stat -c %s seed-again.html)" -gt 100000 ] || fail "regimen report wrote a page without its charts"

step "regimen worker --help; a workflow through Redis and one worker"
npx --no-install regimen worker --help >/dev/null
head -1 node_modules/@regimen/data/embedded/nyse_composite_daily_close.csv >prices.csv
tail -600 node_modules/@regimen/data/embedded/nyse_composite_daily_close.csv >>prices.csv
cat >small.yaml <<'EOF'
workflow:
  id: install-check
  seed: 11
  data: { path: prices.csv, split: { train_fraction: 0.7 } }
  strategies:
    strategy_1: { type: momentum, side: long_short }
    strategy_2: { type: mean_reversion }
  classifiers:
    pattern_based: {}
  phases:
    - name: parameter_discovery
      config:
        parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }
EOF
if command -v redis-server >/dev/null 2>&1; then
  port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >redis.log 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  # the bin itself, not npx, so that the pid killed at the end is the worker's
  ./node_modules/.bin/regimen worker --redis "redis://127.0.0.1:$port" --concurrency 1 --quiet >worker.log 2>&1 &
  pids+=($!)
  npx --no-install regimen run small.yaml --out distributed --executor "redis://127.0.0.1:$port" --quiet --no-report >distributed.log
  [ "$(ls distributed/performance | grep -c '^trial_')" = 8 ] || fail "the Redis run did not score 8 trials"
elif [ "${CI:-}" = true ]; then
  fail "redis-server is missing (CI=true)"
else
  echo "  redis-server not found: the Redis step is skipped"
fi

step "regimen bench sma-cross (small)"
npx --no-install regimen bench sma-cross --bars 20000 --repeat 1 --workers 1 --out "$tmp/bench" >bench.log
ls "$tmp"/bench/*.json >/dev/null

step "wait for the three plugins' npm install && npm test"
for kind in classifier strategy optimizer; do
  pid="plugin_$kind"
  if ! wait "${!pid}"; then
    cat "$tmp/plugins/new-$kind.log" "$tmp/plugins/my-$kind/install.log" "$tmp/plugins/my-$kind/test.log" 2>/dev/null | tail -40 >&2
    fail "the scaffolded $kind plugin did not pass npm install && npm test"
  fi
  grep -q "Tests .* passed" "$tmp/plugins/my-$kind/test.log" || fail "no passing tests reported for the $kind plugin"
done

step "a workflow that loads all three plugins by path"
cat >"$tmp/plugins/workflow.yaml" <<'EOF'
workflow:
  id: plugins
  seed: 5
  plugins: [./my-classifier, ./my-optimizer]
  data: { path: ../app/prices.csv, split: { train_fraction: 0.7 } }
  strategies:
    band: { plugin: ./my-strategy, side: long_short, parameter_space: { window: [10, 20, 40], band: [0, 0.01] } }
  classifiers:
    vol: { plugin: my-classifier, options: { window: 30 } }
  phases:
    - name: parameter_discovery
      config:
        algorithm: my-optimizer
        algorithm_options: { trials: 4 }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }
EOF
npx --no-install regimen run "$tmp/plugins/workflow.yaml" --out "$tmp/plugins/ws" --quiet --no-report --workers 2 >plugins.log
[ "$(ls "$tmp/plugins/ws/performance" | grep -c '^trial_')" = 4 ] || fail "the plugin workflow did not score the optimizer's 4 trials"
grep -q '"high_vol"' "$tmp/plugins/ws/analysis/regime_optimal_params.json" || fail "the classifier plugin's regimes are missing from the analysis"

step "install-check passed"
