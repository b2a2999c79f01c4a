import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RunMode } from '../../../shared/flora.types';
import { floraRouting } from '../../../transport/declarative';
import { asNodeError } from '../../../transport/errors';
import { throwIfNodeRunFailed } from '../../../transport/nodeRunFailure';
import { itemParameterReader } from '../../inputs/parameterReader';
import { listStartedRuns } from '../../starts/startedRuns';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { startOptionFields } from '../common/startOptions.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['start'] } };

/**
 * Technique Run › Start. The start itself (inputs, uploads, idempotency key, one run per start
 * of an item) is shared with Run and Wait, so it happens in `respond`, through the request core.
 */
export const startRouting = floraRouting({
	method: 'POST',
	url: '/techniques',
	async respond(request): Promise<INodeExecutionData[]> {
		const itemIndex = this.getItemIndex();
		const mode = this.getNodeParameter('mode', 'async') as RunMode;
		try {
			const started = await startTechniqueRunForItem(this, {
				read: itemParameterReader(this),
				itemIndex,
				mode,
				transport: request.transport,
				beforeWork: () => throwIfNodeRunFailed(this),
			});
			const json: IDataObject = {
				...(started.run as unknown as IDataObject),
				technique: started.technique,
			};
			if (started.replayed) json.idempotent_replayed = true;
			return [{ json, pairedItem: { item: itemIndex } }];
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error);
			if (!this.continueOnFail()) listStartedRuns(nodeError, this, itemIndex);
			throw nodeError;
		}
	},
});

export const startProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'async',
		displayOptions,
		options: [
			{ name: 'Async', value: 'async', description: 'Return at once with the pending run' },
			{ name: 'Stream', value: 'stream', description: 'Ask FLORA for its streaming mode' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...startOptionFields],
	},
];
