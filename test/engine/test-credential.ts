/**
 * Runs a credential type's `test.request` the way n8n's CredentialsTester does: a temporary
 * declarative node whose only property routes to the test request, executed by the real
 * RoutingNode → httpRequestWithAuthentication (so the credential's authenticate is applied).
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { TestCredentialsHelper } from './credentials-helper';
import { loadPackage } from './load-package';
import { type CapturedLog, startLogCapture } from './logs';

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** JSON of the test response when it succeeded. */
	response?: IDataObject;
	/** HTTP status when the request failed with a response. */
	httpCode?: number;
	logs: CapturedLog[];
}

function getPath(obj: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((acc, key) => (acc as Record<string, unknown> | undefined)?.[key], obj);
}

export async function testCredential(
	credentialType: string,
	data: ICredentialDataDecryptedObject,
	opts: { packageDir?: string } = {},
): Promise<CredentialTestOutcome> {
	const pkg = await loadPackage(opts.packageDir);
	const type = pkg.credentialTypes.getByName(credentialType);
	if (!type.test)
		throw new UnexpectedError(`Credential type "${credentialType}" has no test request`);
	const { test } = type;

	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, {
		[credentialType]: data,
	});
	// Defaults are applied as the CLI does (applyDefaultsAndOverwrites) before the test.
	const withDefaults = (NodeHelpers.getNodeParameters(
		credentialsHelper.getCredentialsProperties(credentialType),
		data as never,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;

	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp-Node' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			[credentialType]: { id: 'credential-under-test', name: 'Credential under test' },
		},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = buildAdditionalData({ credentialsHelper, workflowId: workflow.id });
	const inputData = { main: [[{ json: {} }] as INodeExecutionData[]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const decrypted: ICredentialsDecrypted = {
		id: 'credential-under-test',
		name: 'Credential under test',
		type: credentialType,
		data: withDefaults,
	};
	const routingNode = new RoutingNode(context, nodeType, decrypted);

	const capture = startLogCapture();
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		const status: number | undefined = error?.cause?.response?.status ?? error?.httpCode;
		const httpCode = status !== undefined ? Number(status) : undefined;
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === httpCode) {
				return { status: 'Error', message: rule.properties.message, httpCode, logs: capture.logs };
			}
		}
		const message =
			httpCode !== undefined
				? error?.cause?.response?.statusText || `Received HTTP status code: ${httpCode}`
				: (error?.cause?.code ?? String(error?.message ?? error));
		return { status: 'Error', message, httpCode, logs: capture.logs };
	} finally {
		capture.stop();
	}
	const json = response?.[0]?.[0]?.json;
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			getPath(json, rule.properties.key) === rule.properties.value
		) {
			return {
				status: 'Error',
				message: rule.properties.message,
				response: json,
				logs: capture.logs,
			};
		}
	}
	return { status: 'OK', message: 'Connection successful!', response: json, logs: capture.logs };
}
