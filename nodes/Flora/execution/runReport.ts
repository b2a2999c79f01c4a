import type { IDataObject, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

/** What this node run knows of each item's run, to name every run it started in an error. */
export type RunBook = Map<number, { runId: string; status: string }>;

/**
 * The Continue On Fail item of one input: `error` is the message, `details` the run's last
 * state (and the error's description). Not flat and without `item.error`, because n8n's engine
 * replaces the json of any item that has `error` set with `{ error: message }`, and routes an
 * item to the error output ("On Error: continue (using error output)") only when its json
 * holds nothing but `error`, `message` and `details`.
 */
export function errorItem(
	error: NodeOperationError | Error,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const run = (error as NodeOperationError).context?.run as IDataObject | undefined;
	const details: IDataObject = { ...(run ?? {}), ...extra };
	const description = (error as NodeOperationError).description;
	if (description) details.description = description;
	const json: IDataObject = { error: error.message };
	if (Object.keys(details).length) json.details = details;
	return { json, pairedItem: { item: itemIndex } };
}

/** "Runs this node started …: item 0: run_… (completed)", or '' when it started none. */
export function describeRuns(book: RunBook): string {
	const lines = [...book.entries()]
		.sort(([a], [b]) => a - b)
		.map(([itemIndex, { runId, status }]) => `item ${itemIndex}: ${runId} (${status})`);
	return lines.length
		? `Runs this node started (they keep running on FLORA and are paid for when they complete; fetch them with Technique Run › Get):\n${lines.join('\n')}`
		: '';
}
