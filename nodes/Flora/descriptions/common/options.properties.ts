import type { INodeProperties } from 'n8n-workflow';

/** An operation's Options collection. */
export function optionsCollection(
	displayOptions: INodeProperties['displayOptions'],
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options,
	};
}
