import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { RunMode, StartRunBody, Technique } from '../../shared/flora.types';
import type { AssetContext } from '../transport/assets';
import type { FloraContext } from '../transport/floraApiRequest';
import { itemBinaries } from './binaryInputs';
import { enforceCostCeiling, readCostCeiling } from './costGuard';
import { deriveIdempotencyKey } from './idempotency';
import type { IdempotencyScope } from './idempotency';
import { readMediaOptions, resolveMediaInputs } from './mediaInputs';
import type { ParameterReader } from './parameterReader';
import { readRunInputs } from './runInputs';
import { cachedTechnique, fetchTechnique } from './techniqueLookup';
import { techniqueRefFrom } from './techniqueRef';
import { callbackUrlProblem } from './urlRules';

export interface StartRequest {
	technique: string;
	path: string;
	body: StartRunBody;
	headers: { 'Idempotency-Key': string };
}

interface StartOptions {
	callbackUrl?: string;
	correlationId?: string | number;
	idempotencyKey?: string;
	maxCostPerRun?: number;
	workspaceId?: string;
	importExternalUrls?: boolean;
}

/** Query parameter of the callback URL that carries Options › Correlation ID; the Flora Trigger outputs it as `correlation_id`. */
export const CORRELATION_QUERY_PARAMETER = 'flora_correlation';

function callbackFrom(
	node: INode,
	value: string | undefined,
	itemIndex?: number,
): string | undefined {
	const url = value?.trim();
	if (!url) return undefined;
	const problem = callbackUrlProblem(url);
	if (problem) {
		throw new NodeOperationError(node, `Options › Callback URL: ${problem}`, {
			itemIndex,
			description:
				'Use the production URL of a Flora Trigger node on an n8n instance FLORA can reach over HTTPS.',
		});
	}
	return url;
}

function withCorrelation(
	node: INode,
	callbackUrl: string | undefined,
	correlationId: string | number | undefined,
	itemIndex?: number,
): string | undefined {
	const correlation = String(correlationId ?? '').trim();
	if (!correlation) return callbackUrl;
	if (!callbackUrl) {
		throw new NodeOperationError(node, 'Options › Correlation ID needs Options › Callback URL', {
			itemIndex,
			description:
				'The correlation ID travels to the Flora Trigger inside the callback URL. Set Callback URL too, or remove Correlation ID.',
		});
	}
	const url = new URL(callbackUrl);
	url.searchParams.set(CORRELATION_QUERY_PARAMETER, correlation);
	return url.toString();
}

/**
 * Builds one item's start request from its parameters, checking everything that can be
 * checked locally first. The technique schema is fetched (once per execution) when inputs
 * are Fields or a JSON object (their types come from it) and for Max Cost per Run, which is
 * enforced before any file is uploaded. `binary:<property>` inputs are then uploaded as
 * assets; the idempotency key is derived from the inputs as given, so retries of this item
 * in this execution keep their key even though each upload makes a new asset.
 */
export async function buildStartRequest(
	this: FloraContext,
	node: INode,
	read: ParameterReader,
	scope: IdempotencyScope,
	mode: RunMode,
): Promise<StartRequest> {
	const { itemIndex } = scope;
	const technique = techniqueRefFrom(
		node,
		read('technique', '', { extractValue: true }),
		itemIndex,
	);
	const options = read<StartOptions>('options', {});
	const callbackUrl = withCorrelation(
		node,
		callbackFrom(node, options.callbackUrl, itemIndex),
		options.correlationId,
		itemIndex,
	);
	const costCeiling = readCostCeiling(node, options.maxCostPerRun, itemIndex);
	const mediaOptions = readMediaOptions(node, options, itemIndex);
	const binaries = itemBinaries(this as AssetContext, itemIndex);
	let schema: Promise<Technique> | undefined;
	const schemaScope = scope.executionId
		? `${scope.executionId}|${scope.nodeName}|${technique}`
		: undefined;
	const loadTechnique = async () =>
		await (schema ??= cachedTechnique(
			schemaScope,
			async () => await fetchTechnique.call(this, technique, itemIndex),
		));
	const inputs = await readRunInputs({ node, read, loadTechnique, itemIndex, binaries });
	if (costCeiling !== undefined)
		enforceCostCeiling(node, await loadTechnique(), costCeiling, itemIndex);
	const unkeyed: Omit<StartRunBody, 'idempotency_key'> = { inputs, mode };
	if (callbackUrl) unkeyed.callback_url = callbackUrl;
	const idempotencyKey =
		options.idempotencyKey?.trim() || deriveIdempotencyKey(scope, technique, unkeyed);
	const resolvedInputs = await resolveMediaInputs.call(
		this as AssetContext,
		inputs,
		binaries,
		mediaOptions,
		itemIndex,
	);
	return {
		technique,
		path: `/techniques/${encodeURIComponent(technique)}/runs`,
		body: { ...unkeyed, inputs: resolvedInputs, idempotency_key: idempotencyKey },
		headers: { 'Idempotency-Key': idempotencyKey },
	};
}
