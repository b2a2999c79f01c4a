import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IGetNodeParameterOptions,
} from 'n8n-workflow';

/** Reads one item's node parameters the same way from a declarative (per-item) or programmatic context. */
export type ParameterReader = <T = unknown>(
	name: string,
	fallback?: T,
	options?: IGetNodeParameterOptions,
) => T;

export function itemParameterReader(context: IExecuteSingleFunctions): ParameterReader {
	return <T>(name: string, fallback?: T, options?: IGetNodeParameterOptions) =>
		context.getNodeParameter(name, fallback, options) as T;
}

export function executeParameterReader(
	context: IExecuteFunctions,
	itemIndex: number,
): ParameterReader {
	return <T>(name: string, fallback?: T, options?: IGetNodeParameterOptions) =>
		context.getNodeParameter(name, itemIndex, fallback, options) as T;
}
