/**
 * n8n's own nodes (HTTP Request, Wait, IF) from the `n8n-nodes-base` that ships with the
 * provisioned n8n 2.41.1 server (scripts/e2e/provision.sh → .cache/e2e/n8n), loaded into THIS
 * process's engine (n8n-core 2.41.1 / n8n-workflow 2.41.0 from /work/main/node_modules).
 *
 * The server tree has its own copy of n8n-workflow (and n8n-core). Left alone, nodes-base would
 * load that second copy: `instanceof NodeApiError` / `NodeOperationError` / `ExpressionError`
 * checks between the engine and the node would then silently fail. So, in the bench only, a
 * Module._resolveFilename hook makes every `n8n-workflow` / `n8n-core` require coming from the
 * server tree resolve to this repository's copies, and `assertSingleEngine()` checks that no
 * module of the server's copies was ever loaded.
 *
 * Nodes are loaded through n8n-core's own DirectoryLoader.loadNodeFromFile (as n8n does:
 * icon paths, load-options methods, special parameters).
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { DEFAULT_N8N_VERSION, loadE2eEnv, n8nCacheDir, provision } from '../scripts/e2e/n8n-env';
import { REPO_ROOT } from './common';

/**
 * Runs scripts/e2e/provision.sh for n8n 2.41.1 (idempotent; seconds when already provisioned;
 * no Chromium; Postgres and Redis only when `services`).
 */
export function provisionServer({ services = false } = {}): void {
	if (
		process.env.BENCH_SKIP_PROVISION === '1' &&
		existsSync(join(n8nCacheDir(DEFAULT_N8N_VERSION), 'env.json'))
	)
		return;
	provision([DEFAULT_N8N_VERSION], {
		E2E_SKIP_CHROMIUM: '1',
		...(services ? {} : { E2E_SKIP_SERVICES: '1' }),
	});
}

export interface NodesBase {
	dir: string;
	version: string;
	n8nVersion: string;
}

let hookInstalled = false;

/** Locates n8n-nodes-base inside the provisioned n8n and installs the single-engine hook. */
export function locateNodesBase(): NodesBase {
	const env = loadE2eEnv(DEFAULT_N8N_VERSION);
	const fromN8n = createRequire(env.n8nBin);
	const pkgJson = fromN8n.resolve('n8n-nodes-base/package.json');
	const dir = dirname(pkgJson);
	const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
	const n8nPkg = JSON.parse(readFileSync(fromN8n.resolve('n8n/package.json'), 'utf8')) as {
		version: string;
		dependencies: Record<string, string>;
	};
	if (n8nPkg.dependencies['n8n-nodes-base'] !== version) {
		throw new Error(
			`n8n ${n8nPkg.version} depends on n8n-nodes-base ${n8nPkg.dependencies['n8n-nodes-base']}, found ${version}`,
		);
	}
	installSingleEngineHook(n8nCacheDir(DEFAULT_N8N_VERSION) + sep);
	return { dir, version, n8nVersion: n8nPkg.version };
}

const ENGINE_PACKAGES = ['n8n-workflow', 'n8n-core'];
const ourRequire = createRequire(join(REPO_ROOT, 'package.json'));

function installSingleEngineHook(serverTree: string): void {
	if (hookInstalled) return;
	hookInstalled = true;
	const M = Module as unknown as {
		_resolveFilename: (
			request: string,
			parent: { filename?: string } | undefined,
			...rest: unknown[]
		) => string;
	};
	const original = M._resolveFilename;
	M._resolveFilename = function (request, parent, ...rest) {
		if (
			parent?.filename?.startsWith(serverTree) &&
			ENGINE_PACKAGES.some((p) => request === p || request.startsWith(`${p}/`))
		) {
			return ourRequire.resolve(request);
		}
		return original.call(this, request, parent, ...rest);
	};
}

/** Throws when any file of the server tree's n8n-workflow / n8n-core copies was loaded. */
export function assertSingleEngine(): string {
	const server = n8nCacheDir(DEFAULT_N8N_VERSION) + sep;
	const second = Object.keys(require.cache).filter(
		(f) =>
			f.startsWith(server) &&
			ENGINE_PACKAGES.some((p) => f.includes(`${sep}node_modules${sep}${p}${sep}`)),
	);
	if (second.length)
		throw new Error(`a second engine copy was loaded: ${second.slice(0, 3).join(', ')}`);
	const ours = ENGINE_PACKAGES.map(
		(p) => `${p}@${(ourRequire(`${p}/package.json`) as { version: string }).version}`,
	);
	return `single engine (${ours.join(', ')} from ${join(REPO_ROOT, 'node_modules')}; 0 modules of the server's copies loaded)`;
}

/** Loads nodes-base nodes (relative paths under dist/nodes, e.g. `HttpRequest/HttpRequest.node.js`). */
export async function loadNodesBaseNodes(
	base: NodesBase,
	files: string[],
): Promise<Record<string, INodeType | IVersionedNodeType>> {
	const { PackageDirectoryLoader } = await import('n8n-core');
	const loader = new PackageDirectoryLoader(base.dir);
	const out: Record<string, INodeType | IVersionedNodeType> = {};
	for (const file of files) {
		(
			loader as unknown as { loadNodeFromFile(path: string, version?: string): void }
		).loadNodeFromFile(join(base.dir, 'dist', 'nodes', file), base.version);
	}
	for (const [name, { type }] of Object.entries(loader.nodeTypes))
		out[`n8n-nodes-base.${name}`] = type;
	return out;
}
