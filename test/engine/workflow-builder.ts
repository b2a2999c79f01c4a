/** Turns test-friendly node descriptions into a real n8n `Workflow`. */
import { randomUUID } from 'node:crypto';
import type { IConnections, IDataObject, INode, INodeTypes, IWorkflowSettings } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { TestCredentials } from './credentials-helper';

/** A node as a user would save it; id/position/typeVersion/parameters are filled in when absent. */
export type TestNode = Omit<INode, 'id' | 'position' | 'typeVersion' | 'parameters'> &
	Partial<Pick<INode, 'id' | 'position' | 'typeVersion' | 'parameters'>>;

let workflowCounter = 0;

export function completeNodes(
	nodes: TestNode[],
	nodeTypes: INodeTypes,
	credentials: TestCredentials = {},
): INode[] {
	return nodes.map((input, index) => {
		// Deep copy: the Workflow constructor writes default parameters into node.parameters.
		const node = structuredClone(input) as TestNode;
		const type = nodeTypes.getByName(node.type);
		let defaultVersion: number;
		if ('nodeVersions' in type) {
			defaultVersion = type.currentVersion;
		} else {
			const { version } = type.description;
			defaultVersion = Array.isArray(version) ? version[version.length - 1] : version;
		}
		const complete: INode = {
			...node,
			id: node.id ?? randomUUID(),
			position: node.position ?? [index * 220, 0],
			typeVersion: node.typeVersion ?? defaultVersion,
			parameters: node.parameters ?? {},
		};
		// Attach given test credentials the node type declares but the node does not name yet.
		const versioned = nodeTypes.getByNameAndVersion(complete.type, complete.typeVersion);
		for (const { name } of versioned.description.credentials ?? []) {
			if (credentials[name] && !complete.credentials?.[name]) {
				complete.credentials = {
					...complete.credentials,
					[name]: { id: `cred-${name}`, name: `Test ${name}` },
				};
			}
		}
		return complete;
	});
}

export function buildWorkflow(opts: {
	nodes: TestNode[];
	connections?: IConnections;
	nodeTypes: INodeTypes;
	credentials?: TestCredentials;
	staticData?: IDataObject;
	settings?: IWorkflowSettings;
	workflowId?: string;
	name?: string;
}): Workflow {
	workflowCounter += 1;
	return new Workflow({
		id: opts.workflowId ?? `harness-wf-${workflowCounter}`,
		name: opts.name ?? 'Harness workflow',
		nodes: completeNodes(opts.nodes, opts.nodeTypes, opts.credentials),
		connections: opts.connections ?? {},
		active: false,
		nodeTypes: opts.nodeTypes,
		staticData: opts.staticData,
		settings: { executionOrder: 'v1', ...opts.settings },
	});
}

/** `connect(['A', 'B', 'C'])` → A → B → C on main output/input 0. */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
