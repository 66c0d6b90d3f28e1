#!/usr/bin/env bash
# Performs the Dockerfile's build and run steps without a Docker engine, in clean
# temp folders: the COPY lines are read from the Dockerfile itself, the RUN steps
# it names are checked to still be there, then the runtime folder (production
# dependencies + dist only) is started against a private redis-server, /healthz
# must answer through `wiresift health` (the HEALTHCHECK), and SIGTERM must exit 0.
#
# The build stage reuses this checkout's node_modules for the TypeScript
# toolchain (CI has just run `npm ci` from the same lockfile); the runtime stage
# runs a real `npm ci --omit=dev --ignore-scripts`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wiresift-image-XXXXXX")
build="$work/build"
app="$work/app"
mkdir -p "$build" "$app"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "[image] FAIL: $*" >&2; exit 1; }

for step in 'RUN npm ci --ignore-scripts' 'RUN npm run build' 'RUN npm ci --omit=dev --ignore-scripts && rm -rf node_modules/typescript node_modules/@typescript' \
  'CMD ["node", "bin/wiresift.js", "health"]' 'ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/wiresift.js"]' \
  'USER 1000:1000'; do
  grep -qF -- "$step" Dockerfile || fail "Dockerfile no longer has: $step (update this script with it)"
done

# COPY lines per stage: "stage<TAB>args".
copies=$(awk '/^FROM /{stage++} /^COPY /{sub(/^COPY +/, ""); print stage "\t" $0}' Dockerfile)

# .dockerignore is an allowlist: every path a COPY takes from the context must be let in,
# and nothing heavy (node_modules, dist, .git) may be.
[ -f .dockerignore ] || fail "no .dockerignore: docker build would send node_modules and .git as context"
grep -qxF '*' .dockerignore || fail ".dockerignore must start from '*' (an allowlist)"
while IFS=$'\t' read -r _ args; do
  read -r -a words <<<"$args"
  [[ ${words[0]} == --from=* ]] && continue
  for src in "${words[@]:0:${#words[@]}-1}"; do
    grep -qxF "!${src%/}" .dockerignore || fail ".dockerignore does not let in '$src' (COPY needs it)"
  done
done <<<"$copies"
for heavy in node_modules dist .git; do
  ! grep -qxF "!$heavy" .dockerignore || fail ".dockerignore lets in $heavy"
done
copy_into() { # dest-root stage
  local root=$1 stage=$2
  while IFS=$'\t' read -r s args; do
    [ "$s" = "$stage" ] || continue
    read -r -a words <<<"$args"
    if [[ ${words[0]} == --from=build ]]; then
      src=${words[1]#/app/}; dest=${words[2]}
      cp -a "$build/$src" "$root/$dest"
      continue
    fi
    dest=${words[-1]}
    for src in "${words[@]:0:${#words[@]}-1}"; do
      if [[ $dest == */ || $dest == ./ ]]; then cp -a "$repo/$src" "$root/$dest"; else cp -a "$repo/$src" "$root/$dest"; fi
    done
  done <<<"$copies"
}

echo "[image] build stage in $build"
copy_into "$build" 1
ln -s "$repo/node_modules" "$build/node_modules"
(cd "$build" && npm run build --silent) || fail "build stage: npm run build"
[ -f "$build/dist/src/cli.js" ] || fail "build stage produced no dist/src/cli.js"

echo "[image] runtime stage in $app"
copy_into "$app" 2
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error &&
  rm -rf node_modules/typescript node_modules/@typescript) || fail "npm ci --omit=dev"
echo "[image] runtime node_modules: $(du -sm "$app/node_modules" | cut -f1) MB"
[ ! -e "$app/node_modules/typescript" ] || fail "dev dependency typescript is in the runtime folder"
[ ! -e "$app/src" ] || fail "sources are in the runtime folder"

port_free() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
redis_port=$(port_free)
http_port=$(port_free)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction \
  --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)

cd "$app"
export REDIS_URL="redis://127.0.0.1:$redis_port" PORT="$http_port" HOST=127.0.0.1 NODE_ENV=production \
  WIRESIFT_PREFIX="image-check:" LOG_FORMAT=json
node bin/wiresift.js run >"$work/run.log" 2>&1 &
run_pid=$!
pids+=($run_pid)
for _ in $(seq 1 100); do
  if node bin/wiresift.js health 2>/dev/null; then healthy=1; break; fi
  kill -0 "$run_pid" 2>/dev/null || { cat "$work/run.log" >&2; fail "wiresift run exited"; }
  sleep 0.2
done
[ "${healthy:-}" = 1 ] || { cat "$work/run.log" >&2; fail "/healthz never answered"; }
echo "[image] HEALTHCHECK (wiresift health) passes on port $http_port"
ready=$(node -e 'fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then(async r=>console.log(r.status))')
echo "[image] /readyz: $ready"

start=$(date +%s%N)
kill -TERM "$run_pid"
set +e
wait "$run_pid"
code=$?
set -e
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" = 0 ] || { cat "$work/run.log" >&2; fail "SIGTERM exit code $code"; }
echo "[image] SIGTERM: exit 0 in ${elapsed} ms"
echo "[image] OK"
