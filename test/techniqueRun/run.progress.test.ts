/**
 * What a person watching a manual execution sees while Run and Wait waits: console messages
 * pushed to the editor as runs move on, and a summary hint in the output panel.
 */
import { runWorkflow } from '../engine';
import { NODE, credentials, itemNode, textItem, simulatorForSuite } from '../fixtures';

const sim = simulatorForSuite({ runDurationMs: 600 });

const run = (mode: 'manual' | 'trigger') =>
	runWorkflow({
		mode,
		credentials: credentials(sim),
		nodes: [
			itemNode(
				{ operation: 'run', options: { pollInterval: 0.05, downloadOutputs: false } },
				{ continueOnFail: true },
			),
		],
		inputItems: [
			textItem('voice-over', 'one', 'script'),
			textItem('voice-over', 'two [duration:4500]', 'script'),
			textItem('voice-over', 'three [fail:GENERATION_PROMPT_MODERATED]', 'script'),
		],
	});

function consoleLines(result: Awaited<ReturnType<typeof run>>): string[] {
	return result.pushedToEditor
		.filter((push) => push.type === 'sendConsoleMessage')
		.map((push) => (push.data as { messages: string[] }).messages.join(' '));
}

jest.setTimeout(15_000);

it('a manual run pushes progress to the editor while it waits, and ends with every run counted', async () => {
	const result = await run('manual');
	const lines = consoleLines(result);
	expect(lines.length).toBeGreaterThanOrEqual(2);
	// progress arrives while runs are still going, not only at the end
	expect(lines.some((line) => /running \d+%|pending/.test(line))).toBe(true);
	expect(lines[lines.length - 1]).toMatch(
		/^FLORA: 3 of 3 runs finished \(2 completed, 1 failed\)$/,
	);
	// at most one message every 2 s while runs go on (the 4.5 s run gives 3 or 4), then the end
	expect(lines.length).toBeLessThanOrEqual(5);
	const [task] = result.run.data.resultData.runData[NODE];
	expect(task.hints).toEqual([
		{
			message: expect.stringMatching(
				/^FLORA: 2 of 3 runs completed, 1 failed in \d+ s; charged \$0\.06$/,
			),
			location: 'outputPane',
		},
	]);
});

it('a production run pushes nothing to an editor', async () => {
	const result = await run('trigger');
	expect(consoleLines(result)).toEqual([]);
});
