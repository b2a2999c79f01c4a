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

/** What a run's state means for the person reading the error. */
function stateText(status: string): string {
	if (status.startsWith('failed')) return 'failed, not charged';
	if (status.startsWith('pending') || status.startsWith('running')) {
		return `${status}, still going on FLORA and charged when it completes`;
	}
	return status;
}

/** Where the user reads a run back: technique runs on their technique's route, others by ID. */
const FETCH_WITH: Record<'technique' | 'other', string> = {
	technique: 'Technique Run › Get',
	other: 'Generation › Get, which reads any FLORA run by its ID',
};

/**
 * "Runs this node started (fetch any with Technique Run › Get): item 0: run_… (completed);
 * item 1: run_… (running 40%, still going …)", or '' when it started none. One line: n8n shows
 * a description as a single paragraph.
 */
export function describeRuns(book: RunBook, labelField: string = 'technique'): string {
	const runs = [...book.entries()]
		.sort(([a], [b]) => a - b)
		.map(([itemIndex, { runId, status }]) => `item ${itemIndex}: ${runId} (${stateText(status)})`);
	const fetchWith = FETCH_WITH[labelField === 'technique' ? 'technique' : 'other'];
	return runs.length
		? `Runs this node started (fetch any with ${fetchWith}): ${runs.join('; ')}.`
		: '';
}
