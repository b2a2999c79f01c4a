import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

import { GENERATION_START } from '../../api/generations';
import {
	MEDIA_TYPES,
	type GenerationCreateParams,
	type MediaType,
} from '../../shared/platform.types';
import type { ExecutionContext } from '../../transport/context';
import type { StartedRun } from '../../transport/startLedger';
import { itemBinaries } from '../inputs/binaryInputs';
import { resolveMediaRef } from '../inputs/mediaRefs';
import { MODEL_PARAMETERS_PARAMETER, readModelParams } from '../inputs/modelParams';
import type { ParameterReader } from '../inputs/parameterReader';
import { readPlaceRef } from '../inputs/workspaceProject';
import { enforceCreditCeiling } from './costGuard';
import { resolvePlace } from './placeResolver';
import { modelForExecution } from './platformCatalog';
import type { StartIdentity } from './startIdentity';
import { startOnce } from './startOnce';
import { readStartOptions, type RawStartOptions } from './startOptions';

export interface GenerationStart {
	/** The model asked for, or the type's default model FLORA named in its answer. */
	model: string;
	run: StartedRun;
	identity: StartIdentity;
	replayed: boolean;
}

export interface GenerationCall {
	read: ParameterReader;
	itemIndex: number;
	signal?: AbortSignal;
	/** Where FLORA calls back, set by the node itself (Generate paused until FLORA calls back). */
	callbackUrl?: string;
}

function invalid(node: INode, message: string, itemIndex: number, description?: string) {
	return new NodeOperationError(node, message, { itemIndex, description });
}

function readType(node: INode, raw: unknown, itemIndex: number): MediaType {
	if (typeof raw === 'string' && (MEDIA_TYPES as readonly string[]).includes(raw)) {
		return raw as MediaType;
	}
	throw invalid(
		node,
		`Generation Type: must be one of ${MEDIA_TYPES.join(', ')} (got ${JSON.stringify(raw)})`,
		itemIndex,
	);
}

function readPrompt(node: INode, raw: unknown, itemIndex: number): string {
	if (typeof raw === 'number') return String(raw);
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw invalid(node, 'Prompt: is required', itemIndex, 'Describe what to generate.');
	}
	return raw;
}

function readModelId(node: INode, raw: unknown, itemIndex: number): string | undefined {
	if (raw === undefined || raw === null) return undefined;
	const value = String(raw).trim();
	if (!value) return undefined;
	if (!/^\S+$/.test(value)) {
		throw invalid(node, `Model: "${value}" is not a model ID (IDs have no spaces)`, itemIndex);
	}
	return value;
}

/** Puts a resolved file into a `*_url` param, or into its place in a `*_urls` list. */
function setParam(
	params: Record<string, unknown>,
	file: { name: string; index?: number },
	value: string,
): void {
	if (file.index === undefined) params[file.name] = value;
	else (params[file.name] as string[])[file.index] = value;
}

function modelParamValues(read: ParameterReader): Record<string, unknown> {
	const mapped = read<{ value?: unknown } | null>(MODEL_PARAMETERS_PARAMETER, null);
	const values = mapped && typeof mapped === 'object' ? mapped.value : undefined;
	return values && typeof values === 'object' ? (values as Record<string, unknown>) : {};
}

/**
 * Starts (at most) one generation for an item (see startOnce): type, prompt, model, its params,
 * workspace, project and options are checked first; the model's schema and cost are read from
 * FLORA's model list; then the project is found or created, files are uploaded and
 * `POST /generate` is sent with an `Idempotency-Key` header (its only key).
 */
export async function startGenerationForItem(
	context: ExecutionContext,
	call: GenerationCall,
): Promise<GenerationStart> {
	const node = context.getNode();
	const { read, itemIndex, signal } = call;
	const options = readStartOptions(node, read<RawStartOptions>('options', {}), itemIndex);
	const started = await startOnce(context, itemIndex, {
		...GENERATION_START,
		userKey: options.idempotencyKey,
		signal,
		build: async () => {
			const type = readType(node, read('generationType', 'image'), itemIndex);
			const prompt = readPrompt(node, read('prompt', ''), itemIndex);
			const modelId = readModelId(node, read('model', '', { extractValue: true }), itemIndex);
			const placeRef = readPlaceRef(node, read, itemIndex);
			const values = modelParamValues(read);
			const binaries = itemBinaries(context, itemIndex);
			if (!modelId && (Object.keys(values).length || options.creditCeiling !== undefined)) {
				throw invalid(
					node,
					Object.keys(values).length
						? 'Model Parameters: need a Model'
						: 'Options › Max Credits per Generation: needs a Model',
					itemIndex,
					'Without a model FLORA picks its default model for the type, whose parameters and credits are not known in advance. Pick a model.',
				);
			}
			const model = modelId
				? await modelForExecution(context, type, modelId, itemIndex)
				: undefined;
			const plan = model ? readModelParams(node, model, values, binaries) : undefined;
			if (model) enforceCreditCeiling(node, model, options.creditCeiling, itemIndex);
			const place = await resolvePlace(context, placeRef, { itemIndex, signal });
			const params = structuredClone(plan?.params ?? {});
			const meaning = structuredClone(params);
			for (const file of plan?.media ?? []) {
				const resolved = await resolveMediaRef.call(
					context,
					file.ref,
					binaries,
					{ workspaceId: place.workspaceId, media: options.media },
					{ itemIndex, signal },
				);
				setParam(params, file, resolved.url);
				setParam(meaning, file, resolved.content);
			}
			const body: GenerationCreateParams = {
				type,
				prompt,
				workspace_id: place.workspaceId,
				project_id: place.projectId,
			};
			if (modelId) body.model = modelId;
			if (Object.keys(params).length) body.params = params;
			const callbackUrl = call.callbackUrl ?? options.callbackUrl;
			if (callbackUrl) body.callback_url = callbackUrl;
			return {
				path: GENERATION_START.path,
				body: body as unknown as IDataObject,
				meaning: { ...body, params: meaning },
			};
		},
	});
	const envelopeModel = (started.run as { model?: { model_id?: unknown } | null }).model?.model_id;
	const chosen = readModelId(node, read('model', '', { extractValue: true }), itemIndex);
	return {
		...started,
		model: chosen ?? (typeof envelopeModel === 'string' ? envelopeModel : ''),
	};
}
