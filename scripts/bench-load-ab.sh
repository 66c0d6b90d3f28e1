#!/usr/bin/env bash
# bench load in two built trees, alternated ABAB… on the same generated inputs, each round on
# a redis-server of its own; prints every round, then median [min–max] per side. The figure
# to read is the pair in each round: both sides ran under the same machine load.
# usage: scripts/bench-load-ab.sh BASE_TREE OTHER_TREE [rounds=3] [page-kb=0] [articles=4000] [outdir]
# (a tree is a checkout with `npm ci && npm run build` done; ports 6390 and 6391 must be free)
# OTHER_CONFIG=file runs the other tree with that config file on top of its defaults (e.g. a
# feature the base tree does not have turned off, to compare the same work).
set -euo pipefail
BASE=${1:?base tree}; OTHER=${2:?other tree}
ROUNDS=${3:-3}; KB=${4:-0}; N=${5:-4000}; OUT=${6:-$(mktemp -d /tmp/bench-load-ab.XXXX)}
mkdir -p "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for side in base other; do
    if [ "$side" = base ]; then dir=$BASE; port=6390; cfg=; else dir=$OTHER; port=6391; cfg=${OTHER_CONFIG:-}; fi
    echo "round $r of $ROUNDS: $side ($dir${cfg:+, config $cfg})" >&2
    (cd "$dir" && WIRESIFT_CONFIG=$cfg node bin/wiresift.js bench load --json --articles "$N" --page-kb "$KB" --port "$port" \
      >"$OUT/$side-$r.json" 2>"$OUT/$side-$r.err") || { echo "$side round $r failed:" >&2; tail -5 "$OUT/$side-$r.err" >&2; exit 1; }
  done
done
node - "$OUT" "$ROUNDS" "$KB" "$N" <<'JS'
const fs = require('node:fs');
const [out, rounds, kb, n] = process.argv.slice(2);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return Math.round((s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) * 100) / 100;
};
const rows = { base: [], other: [] };
for (let r = 1; r <= +rounds; r++)
  for (const side of ['base', 'other']) {
    const j = JSON.parse(fs.readFileSync(`${out}/${side}-${r}.json`, 'utf8'));
    const row = {
      rate: j.steadyArticlesPerSecond,
      workerMs: j.cpuMsPerArticle.worker,
      redisMs: j.cpuMsPerArticle.redis,
      commands: j.redisPerArticle?.commands,
      scripts: j.redisPerArticle?.scriptCalls,
      reads: j.redisPerArticle?.reads,
    };
    rows[side].push(row);
    console.log(`round ${r} ${side.padEnd(5)} ${JSON.stringify(row)} clusters ${j.clusters} failed ${j.failed}`);
  }
const load = require('node:os').loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`\npage-kb ${kb}, ${n} articles, ${rounds} rounds a side (load ${load})`);
for (const k of Object.keys(rows.base[0])) {
  const f = (side) => {
    const v = rows[side].map((x) => x[k]).filter((x) => typeof x === 'number');
    return v.length ? `${median(v)} [${Math.min(...v)}–${Math.max(...v)}]` : 'n/a';
  };
  console.log(`${k.padEnd(9)} base ${f('base').padEnd(24)} other ${f('other')}`);
}
JS
echo "raw: $OUT"
