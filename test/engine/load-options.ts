/**
 * Calls a node's listSearch / loadOptions / resourceMapping method through n8n-core's real
 * LoadOptionsContext, on a one-node temporary workflow (as n8n's DynamicNodeParametersService does).
 */
import { LoadOptionsContext } from 'n8n-core';
import type {
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	ResourceMapperFields,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper, type TestCredentials } from './credentials-helper';
import { loadPackage } from './load-package';
import { type CapturedLog, startLogCapture } from './logs';
import { buildWorkflow } from './workflow-builder';

export type LoadOptionsMethod =
	| { listSearch: string; filter?: string; paginationToken?: string }
	| { loadOptions: string }
	| { resourceMapping: string };

export interface LoadOptionsOptions {
	/** Node type, e.g. `n8n-nodes-flora.flora`. */
	nodeType: string;
	typeVersion?: number;
	method: LoadOptionsMethod;
	/** The node's current parameters as the editor holds them. */
	parameters?: INodeParameters;
	credentials?: TestCredentials;
	/** Parameter path being loaded (for `&sibling` lookups), default `parameters`. */
	path?: string;
	packageDir?: string;
}

type Result<M> = M extends { listSearch: string }
	? INodeListSearchResult
	: M extends { loadOptions: string }
		? INodePropertyOptions[]
		: ResourceMapperFields;

export async function loadOptions<M extends LoadOptionsMethod>(
	opts: LoadOptionsOptions & { method: M },
): Promise<Result<M>> {
	const { result } = await loadOptionsWithLogs<M>(opts);
	return result;
}

export async function loadOptionsWithLogs<M extends LoadOptionsMethod>(
	opts: LoadOptionsOptions & { method: M },
): Promise<{ result: Result<M>; logs: CapturedLog[]; credentialsHelper: TestCredentialsHelper }> {
	const pkg = await loadPackage(opts.packageDir);
	const workflow = buildWorkflow({
		nodes: [
			{
				name: 'Temp-Node',
				type: opts.nodeType,
				typeVersion: opts.typeVersion,
				parameters: opts.parameters ?? {},
			},
		],
		nodeTypes: pkg.nodeTypes,
		credentials: opts.credentials,
	});
	const node = workflow.getNode('Temp-Node')!;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, opts.credentials ?? {});
	const additionalData = buildAdditionalData({
		credentialsHelper,
		workflowId: workflow.id,
		currentNodeParameters: node.parameters,
	});
	const context = new LoadOptionsContext(workflow, node, additionalData, opts.path ?? 'parameters');
	const { method } = opts;
	const capture = startLogCapture();
	try {
		let result: unknown;
		if ('listSearch' in method) {
			const fn = nodeType.methods?.listSearch?.[method.listSearch];
			if (!fn)
				throw new UnexpectedError(`No methods.listSearch.${method.listSearch} on ${opts.nodeType}`);
			result = await fn.call(context, method.filter, method.paginationToken);
		} else if ('loadOptions' in method) {
			const fn = nodeType.methods?.loadOptions?.[method.loadOptions];
			if (!fn)
				throw new UnexpectedError(
					`No methods.loadOptions.${method.loadOptions} on ${opts.nodeType}`,
				);
			result = await fn.call(context);
		} else {
			const fn = nodeType.methods?.resourceMapping?.[method.resourceMapping];
			if (!fn)
				throw new UnexpectedError(
					`No methods.resourceMapping.${method.resourceMapping} on ${opts.nodeType}`,
				);
			result = await fn.call(context);
		}
		return { result: result as Result<M>, logs: capture.logs, credentialsHelper };
	} finally {
		capture.stop();
	}
}
