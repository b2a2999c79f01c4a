/**
 * Loads a community-node package exactly the way n8n does (PackageDirectoryLoader reads the
 * `n8n` section of package.json; the loader itself applies applySpecialNodeParameters →
 * DirectoryLoader.applyDeclarativeNodeOptionParameters on declarative nodes).
 */
import { resolve } from 'node:path';
import { PackageDirectoryLoader } from 'n8n-core';
import type {
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

import { installLogCapture } from './logs';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export class PackageNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, INodeType | IVersionedNodeType>();

	register(name: string, type: INodeType | IVersionedNodeType) {
		this.byName.set(name, type);
	}

	has(name: string) {
		return this.byName.has(name);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.byName.get(nodeType);
		if (!type)
			throw new UnexpectedError(
				`Unknown node type "${nodeType}" (known: ${this.names().join(', ')})`,
			);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(this.names().map((n) => [n, {}]));
	}

	names(): string[] {
		return [...this.byName.keys()];
	}
}

export class PackageCredentialTypes implements ICredentialTypes {
	readonly types = new Map<string, ICredentialType>();
	readonly supportedNodes = new Map<string, string[]>();

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (!type) throw new UnexpectedError(`Unknown credential type "${credentialType}"`);
		return type;
	}

	getSupportedNodes(type: string): string[] {
		return this.supportedNodes.get(type) ?? [];
	}

	getParentTypes(typeName: string): string[] {
		const extendsList = this.types.get(typeName)?.extends ?? [];
		return extendsList.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

export interface LoadedPackage {
	dir: string;
	packageName: string;
	loader: PackageDirectoryLoader;
	nodeTypes: PackageNodeTypes;
	credentialTypes: PackageCredentialTypes;
	/** Short node names as declared in the package (e.g. `flora`). */
	nodeNames: string[];
}

const cache = new Map<string, Promise<LoadedPackage>>();

/** Load (once per directory) the package at `dir` (default: the repo root, i.e. dist/ of n8n-nodes-flora). */
export async function loadPackage(dir: string = REPO_ROOT): Promise<LoadedPackage> {
	const key = resolve(dir);
	let pending = cache.get(key);
	if (!pending) {
		pending = doLoad(key);
		cache.set(key, pending);
		pending.catch(() => cache.delete(key));
	}
	return await pending;
}

async function doLoad(dir: string): Promise<LoadedPackage> {
	installLogCapture();
	const loader = new PackageDirectoryLoader(dir);
	await loader.loadAll();
	const { packageName } = loader;

	const nodeTypes = new PackageNodeTypes();
	const nodeNames: string[] = [];
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodeNames.push(name);
		nodeTypes.register(name, type);
		nodeTypes.register(`${packageName}.${name}`, type);
	}

	const credentialTypes = new PackageCredentialTypes();
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes.types.set(name, type);
		const nodes = loader.nodesByCredential[name] ?? [];
		credentialTypes.supportedNodes.set(
			name,
			nodes.map((n) => `${packageName}.${n}`),
		);
	}

	return { dir, packageName, loader, nodeTypes, credentialTypes, nodeNames };
}
