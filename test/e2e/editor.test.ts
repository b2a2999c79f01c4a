/**
 * The package in n8n's real editor (n8n 2.41.1, headless Debian Chromium via playwright-core).
 * Screenshots go to artifacts/e2e/editor/. Needs provision.sh + npm run build.
 *
 * Selectors are n8n's own data-test-id attributes (checked in n8n-editor-ui 2.41.1's bundle and
 * in n8n's playwright page objects): node-creator-plus-button, node-creator-search-bar,
 * node-creator-item-name, ndv, resource-locator-<param>, rlc-input-container, rlc-item,
 * canvas-node, node-parameters; the trigger's "Webhook URLs" block is NodeWebhooks.vue (.node-webhooks).
 * Executing in the panel: node-execute-button, output-panel, ndv-items-count, node-hint,
 * ndv-binary-data_<n>, ndv-view-binary-data (opens .binary-data-window), node-error-message,
 * node-error-description, mapping-fields-container, parameter-item, input-label.
 *
 * README screenshots (docs/screenshots/) are cropped copies of some shots; they are rewritten
 * only with E2E_UPDATE_SCREENSHOTS=1.
 */
import type { Locator, Page } from 'playwright-core';

import { FloraSimulator } from '../simulator';
import { N8nInstance, type N8nRest } from '../../scripts/e2e/n8n-env';
import { waitFor } from '../../scripts/e2e/n8n-env';
import {
	launchBrowser,
	recordEditorEvents,
	setupOwnerInUi,
	type BrowserSession,
	type EditorEvent,
} from './browser';
import {
	CREDENTIAL_NAME,
	EDITOR_FAIL_WORKFLOW_ID,
	EDITOR_NODE_WORKFLOW_ID,
	EDITOR_GENERATION_WORKFLOW_ID,
	EDITOR_RUN_WORKFLOW_ID,
	EDITOR_TRIGGER_WORKFLOW_ID,
	editorFailWorkflow,
	editorNodeWorkflow,
	editorGenerationWorkflow,
	editorRunWorkflow,
	editorTriggerWorkflow,
	floraCredential,
} from './fixtures';
import { Timings } from './timings';

jest.setTimeout(600_000);

/** The notice Start and Run and Wait show (after the binary:data hint) instead of a run-cost field. */
const RUN_COST_NOTICE =
	/Each technique's run cost \(USD per run\) shows beside its name in the list/;

describe('n8n editor with n8n-nodes-flora', () => {
	const timings = new Timings('editor');
	let sim: FloraSimulator;
	let n8n: N8nInstance;
	let session: BrowserSession;
	let page: Page;
	let rest: N8nRest;

	beforeAll(async () => {
		sim = await FloraSimulator.start({ allowLoopbackCallbacks: true, runDurationMs: 1500 });
		n8n = await N8nInstance.create();
		await timings.time(
			'import:credentials (incl. DB migrations)',
			async () => await n8n.importCredentials([floraCredential(sim)]),
		);
		await timings.time(
			'import:workflow ×5',
			async () =>
				await n8n.importWorkflows([
					editorNodeWorkflow(),
					editorGenerationWorkflow(),
					editorTriggerWorkflow(),
					editorRunWorkflow(),
					editorFailWorkflow(),
				]),
		);
		await timings.time('n8n start (until /healthz/readiness)', async () => await n8n.start());
		session = await timings.time('chromium launch', async () => await launchBrowser('editor'));
		page = session.page;
		rest = n8n.rest();
	});

	afterAll(async () => {
		timings.write();
		await session?.close();
		if (n8n) await n8n.dispose();
		await sim?.close();
	});

	afterEach(async () => {
		// a screenshot of wherever a failing test stopped
		const state = expect.getState();
		if (state.currentTestName && page)
			await session
				.shot(`end-${state.currentTestName.replace(/\W+/g, '-').slice(-60)}`)
				.catch(() => undefined);
	});

	async function openNewWorkflow(): Promise<void> {
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.getByTestId('node-creator-plus-button').waitFor({ state: 'visible' });
	}

	async function searchNodeCreator(text: string): Promise<void> {
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator').waitFor({ state: 'visible' });
		await page.getByTestId('node-creator-search-bar').fill(text);
	}

	function creatorItem(name: string) {
		return page.getByTestId('node-creator-item-name').getByText(name, { exact: true });
	}

	it('sets up the owner account in the UI', async () => {
		await timings.time('owner setup (UI)', async () => await setupOwnerInUi(page, n8n.baseUrl));
		await session.shot('after-owner-setup');
		await rest.login();
	});

	/** Opens an imported workflow and the NDV of one of its nodes (double-click on the canvas node). */
	async function openNodeOf(workflowId: string, nodeName: string) {
		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
		const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
		await node.waitFor({ state: 'visible' });
		await node.dblclick();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor({ state: 'visible' });
		return ndv;
	}

	/**
	 * The Inputs mapper's field labels as shown (the field's `label[for="value[…]"]` in n8n's
	 * MappingFields), and whether the panel cuts one: an element of the label that ends in an
	 * ellipsis (`text-overflow: ellipsis`) and is narrower than its text.
	 */
	async function mapperLabels(ndv: Locator): Promise<Array<{ text: string; cut: boolean }>> {
		const labels = ndv.getByTestId('mapping-fields-container').locator('label[for^="value["]');
		await labels.first().waitFor({ state: 'visible' });
		return await labels.evaluateAll((elements) => {
			interface Box {
				scrollWidth: number;
				clientWidth: number;
				innerText?: string;
				querySelector(selector: string): Box | null;
				querySelectorAll(selector: string): ArrayLike<Box>;
			}
			const style = (globalThis as unknown as { getComputedStyle(e: Box): CSSStyle })
				.getComputedStyle;
			interface CSSStyle {
				textOverflow: string;
			}
			return (elements as unknown as Box[]).map((label) => {
				const parts = [label, ...Array.from(label.querySelectorAll('*'))];
				const cut = parts.some(
					(part) => part.scrollWidth > part.clientWidth && style(part).textOverflow === 'ellipsis',
				);
				const text = label.querySelector('.n8n-text')?.innerText ?? '';
				return { text: text.replace(/\s*\*\s*$/, '').trim(), cut };
			});
		});
	}

	/** Closes n8n's toasts (Element Plus notifications) so that they do not cover the panel. */
	async function closeToasts(): Promise<string[]> {
		const toasts = page.locator('.el-notification');
		const texts = await toasts.allInnerTexts();
		for (const close of await toasts.locator('.el-notification__closeBtn').all())
			await close.click().catch(() => undefined);
		await waitFor('the toasts to close', async () => (await toasts.count()) === 0);
		return texts;
	}

	/** Console lines the Flora node pushed (n8n logs them as `[Node: "Flora"] <message>`). */
	function floraConsole(events: EditorEvent[]): Array<{ at: number; text: string }> {
		return events
			.map((event, at) => ({ at, event }))
			.filter(({ event }) => event.kind === 'console' && event.text.includes('[Node: "Flora"]'))
			.map(({ at, event }) => ({ at, text: event.text }));
	}

	it('node panel: searching "Flora" lists Flora and Flora Trigger, and adding Flora opens its panel', async () => {
		const t0 = Date.now();
		await openNewWorkflow();
		await session.shot('new-workflow');
		await searchNodeCreator('Flora');
		// n8n hides codex category "AI" nodes from this search unless their AI subcategory is "Root Nodes"
		// (editor-ui useViewStacks.filterOutAiNodes), so this needs the right codex in Flora.node.json
		await creatorItem('Flora Trigger')
			.or(creatorItem('Flora'))
			.first()
			.waitFor({ state: 'visible', timeout: 10_000 });
		await session.shot('node-panel-search-flora');
		const texts = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(texts.some((t) => /^Flora/.test(t.trim()))).toBe(true);
		await page.keyboard.press('Escape');
		// regular-node view (after a first node exists): Flora with its actions
		await page.getByTestId('node-creator-plus-button').click();
		await page.getByTestId('node-creator-search-bar').fill('manual');
		await creatorItem('Manual Trigger').click();
		await page.keyboard.press('Escape');
		await searchNodeCreator('Flora');
		await creatorItem('Flora').click();
		const action = creatorItem('Run a technique and wait for its outputs');
		await action.waitFor({ state: 'visible' });
		await session.shot('flora-actions');
		await action.click();
		await page.getByTestId('ndv').waitFor({ state: 'visible' });
		await session.shot('flora-added-ndv');
		timings.record('node panel: search → Flora NDV', Date.now() - t0);
	});

	it('Flora node: picks a technique from the list served by the simulator and shows its inputs', async () => {
		const t0 = Date.now();
		const ndv = await openNodeOf(EDITOR_NODE_WORKFLOW_ID, 'Flora');
		await session.shot('flora-ndv-open');
		// the only floraApi credential is picked automatically (it is shown as an input's value)
		const inputValues = await ndv
			.locator('input')
			.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
		expect(inputValues).toContain(CREDENTIAL_NAME);

		const requestsBefore = sim.requests.length;
		const rlc = ndv.getByTestId('resource-locator-technique');
		await rlc.getByTestId('rlc-input-container').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor({ state: 'visible' });
		await session.shot('technique-list');
		const names = await items.allInnerTexts();
		expect(names.join('\n')).toContain('CCTV Cam');
		// the list came from the simulator, through n8n, with the credential's key
		const listCall = sim.requests
			.slice(requestsBefore)
			.find((r) => r.method === 'GET' && r.path.endsWith('/techniques'));
		expect(listCall).toBeDefined();
		expect(listCall!.headers.authorization).toBe(`Bearer ${sim.apiKey}`);

		await items.filter({ hasText: 'CCTV Cam' }).first().click();
		await page.waitForTimeout(500);
		await session.shot('technique-picked');
		await expect(
			rlc.getByTestId('rlc-input-container').locator('input').first().inputValue(),
		).resolves.toContain('CCTV Cam');

		// the technique's inputs (image, prompt) are shown in the panel
		const panelText = await ndv.getByTestId('node-parameters').innerText();
		process.stdout.write(
			`[e2e:editor] Flora parameters panel after picking CCTV Cam:\n${panelText}\n`,
		);
		expect(panelText).toMatch(/image/i);
		expect(panelText).toMatch(/prompt/i);
		// one short label per input, shown whole; type and description live in the hint
		const labels = await mapperLabels(ndv);
		process.stdout.write(`[e2e:editor] CCTV Cam field labels: ${JSON.stringify(labels)}\n`);
		expect(labels).toEqual([
			{ text: 'Image', cut: false },
			{ text: 'Prompt', cut: false },
		]);
		// the run cost is a notice, not a field of the mapper
		await expect(ndv.getByText(RUN_COST_NOTICE).isVisible()).resolves.toBe(true);
		expect(panelText).not.toMatch(/Run Cost:/);
		const parameters = ndv.getByTestId('node-parameters');
		await session.docShot('flora-run-and-wait', parameters, {
			until: parameters.getByTestId('collection-parameter-add').filter({ visible: true }).first(),
		});
		timings.record('Flora NDV: open → technique picked', Date.now() - t0);
	});

	it('Generation: picks a model from the list (provider, credits) and shows its parameters as fields', async () => {
		const ndv = await openNodeOf(EDITOR_GENERATION_WORKFLOW_ID, 'Flora');
		const requestsBefore = sim.requests.length;
		const rlc = ndv.getByTestId('resource-locator-model');
		await rlc.getByTestId('rlc-input-container').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor({ state: 'visible' });
		const listed = (await items.allInnerTexts()).join('\n');
		process.stdout.write(`[e2e:editor] image models listed:\n${listed}\n`);
		expect(listed).toContain('FLUX 1.1 [pro]');
		expect(listed).not.toContain('Veo 3');
		const listCall = sim.requests
			.slice(requestsBefore)
			.find((r) => r.method === 'GET' && r.path.endsWith('/models'));
		expect(listCall?.query).toEqual({ type: 'image' });
		await session.shot('model-list');

		await items.filter({ hasText: 'FLUX 1.1 [pro]' }).first().click();
		const labels = await mapperLabels(ndv);
		process.stdout.write(
			`[e2e:editor] FLUX 1.1 [pro] parameter labels: ${JSON.stringify(labels)}\n`,
		);
		expect(labels.map((l) => l.text)).toEqual([
			'Aspect ratio',
			'Images [1–4]',
			'Seed',
			'Guidance [1.5–5]',
			'Raw mode',
			'Format',
		]);
		const parameters = ndv.getByTestId('node-parameters');
		await session.docShot('flora-generation-model', parameters, {
			until: parameters.getByTestId('collection-parameter-add').filter({ visible: true }).first(),
		});
	});

	it('Run and Wait: Execute step shows progress while it waits, then the items, image previews and hint', async () => {
		const t0 = Date.now();
		const recorder = recordEditorEvents(page);
		const ndv = await openNodeOf(EDITOR_RUN_WORKFLOW_ID, 'Flora');
		// the mapper loaded icon-pack's one input, labelled short, under the cost notice
		await expect(mapperLabels(ndv)).resolves.toEqual([{ text: 'Prompt', cut: false }]);
		await expect(ndv.getByText(RUN_COST_NOTICE).isVisible()).resolves.toBe(true);
		const output = ndv.getByTestId('output-panel');
		const t1 = Date.now();
		await ndv.getByTestId('node-execute-button').click();
		await output.getByTestId('ndv-executing').waitFor({ state: 'visible' });
		await session.shot('run-and-wait-executing');
		const finishedAt = await waitFor(
			'the executionFinished push',
			() => {
				const at = recorder.events.findIndex(
					(e) => e.kind === 'push' && e.text === 'executionFinished',
				);
				return at >= 0 ? at : undefined;
			},
			{ timeoutMs: 90_000 },
		);
		await output.getByTestId('ndv-items-count').waitFor({ state: 'visible' });
		timings.record(
			'Run and Wait: Execute step → items shown (3 runs of 2, 4, 6 s)',
			Date.now() - t1,
		);
		recorder.stop();

		// progress reached the editor while the runs were going: lines counting fewer than 3
		// finished runs, before n8n pushed executionFinished; then the final count
		const lines = floraConsole(recorder.events).map(({ at, text }) => ({
			at,
			text,
			finished: Number(/FLORA: (\d+) of 3 runs finished/.exec(text)?.[1] ?? NaN),
		}));
		process.stdout.write(
			`[e2e:editor] console lines from the Flora node (${lines.length}):\n  ${lines.map((l) => l.text).join('\n  ')}\n`,
		);
		expect(lines.every((l) => Number.isInteger(l.finished))).toBe(true);
		const whileWaiting = lines.filter((l) => l.at < finishedAt && l.finished < 3);
		expect(whileWaiting.length).toBeGreaterThanOrEqual(2);
		expect(whileWaiting.some((l) => /run_\w+ running \d+%/.test(l.text))).toBe(true);
		const last = lines[lines.length - 1];
		expect(last.text).toMatch(/\] FLORA: 3 of 3 runs finished$/);
		expect(last.at).toBeLessThan(finishedAt);
		const counts = lines.map((l) => l.finished);
		expect(counts).toEqual([...counts].sort((a, b) => a - b));

		// 3 runs × (4 PNG icons + a style note), each output's file in binary property "data"
		await expect(output.getByTestId('ndv-items-count').innerText()).resolves.toMatch(
			/\b15 items\b/,
		);
		const hint = (await output.getByTestId('node-hint').innerText()).trim();
		expect(hint).toMatch(/^FLORA: 3 of 3 runs completed in \d+ s; charged \$0\.60$/);
		await session.shot('run-and-wait-output');
		await output.getByRole('radio', { name: 'Binary' }).click();
		const cards = output.locator('[data-test-id^="ndv-binary-data_"]');
		await cards.first().waitFor({ state: 'visible' });
		const texts = await cards.allInnerTexts();
		process.stdout.write(`[e2e:editor] first binary card:\n${texts[0]}\n`);
		expect(texts).toHaveLength(15);
		expect(texts.every((t) => /^data\n/.test(t))).toBe(true);
		const pngs = texts.filter((t) => /run_\w+_out_\w+\.png\b[\s\S]*image\/png/.test(t));
		const notes = texts.filter((t) => /run_\w+_out_\w+\.txt\b[\s\S]*text\/plain/.test(t));
		expect([pngs.length, notes.length]).toEqual([12, 3]);
		await expect(output.getByTestId('ndv-view-binary-data').count()).resolves.toBe(15);
		const toasts = await closeToasts();
		expect(toasts.join('\n')).toContain('Node executed successfully');
		await session.shot('run-and-wait-binary');
		await session.docShot('flora-run-and-wait-output', output);

		// View: n8n serves the downloaded PNG and the browser decodes it (the simulator's 32×32)
		await output.getByTestId('ndv-view-binary-data').first().click();
		const image = output.locator('.binary-data-window img');
		await image.waitFor({ state: 'visible' });
		await waitFor('the preview image to load', () =>
			image.evaluate((img) => (img as unknown as { complete: boolean }).complete),
		);
		await expect(
			image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
		).resolves.toBe(32);
		expect(await image.getAttribute('src')).toMatch(/\/rest\/binary-data\?.*mimeType=image%2Fpng/);
		await session.shot('run-and-wait-preview');
		await session.docShot('flora-run-and-wait-preview', output, { until: image });
		timings.record('Run and Wait in the editor: open → preview', Date.now() - t0);
	});

	it('Run and Wait: a moderated prompt fails the step, and the error says to change the prompt', async () => {
		const t0 = Date.now();
		const ndv = await openNodeOf(EDITOR_FAIL_WORKFLOW_ID, 'Flora');
		await expect(mapperLabels(ndv)).resolves.toEqual([
			{ text: 'Image', cut: false },
			{ text: 'Prompt', cut: false },
		]);
		await ndv.getByTestId('node-execute-button').click();
		const output = ndv.getByTestId('output-panel');
		const message = output.getByTestId('node-error-message');
		await message.waitFor({ state: 'visible', timeout: 60_000 });
		const messageText = await message.innerText();
		const description = await output.getByTestId('node-error-description').innerText();
		process.stdout.write(
			`[e2e:editor] the failed run in the output panel:\n--- message\n${messageText}\n--- description\n${description}\n`,
		);
		expect(messageText).toMatch(
			/^Run run_\w+ of technique cctv-cam failed: GENERATION_PROMPT_MODERATED – The prompt was blocked by moderation\. Change the prompt and try again\.$/,
		);
		expect(description).toContain('change the prompt or the inputs');
		expect(description).toContain('does not charge failed ones');
		expect(description).toMatch(/item 0: run_\w+ \(failed, not charged\)/);
		// the node threw, so n8n shows the error, not the hint the node left
		await expect(output.getByTestId('node-hint').count()).resolves.toBe(0);
		// the toast says the same, in short
		const toasts = await closeToasts();
		expect(toasts.join('\n')).toMatch(/Problem in node .Flora.[\s\S]*GENERATION_PROMPT_MODERATED/);
		await session.shot('run-failed');
		await session.docShot('flora-run-failed', output, {
			until: output.getByTestId('node-error-description'),
		});
		timings.record('Run and Wait failing in the editor: open → error shown', Date.now() - t0);
	});

	it('Flora Trigger: shows its webhook URLs', async () => {
		const t0 = Date.now();
		const ndv = await openNodeOf(EDITOR_TRIGGER_WORKFLOW_ID, 'Flora Trigger');
		await session.shot('flora-trigger-ndv');
		// NodeWebhooks.vue: a collapsible "Webhook URLs" (.webhooks) with Test/Production URL toggle (.node-webhooks)
		await ndv.getByText('Webhook URLs', { exact: true }).click();
		const urls = ndv.locator('.node-webhooks');
		await urls.waitFor({ state: 'visible' });
		await session.shot('flora-trigger-webhook-urls-test');
		const testText = await urls.innerText();
		await ndv.getByText('Production URL', { exact: true }).click();
		await page.waitForTimeout(300);
		await session.shot('flora-trigger-webhook-urls-production');
		const prodText = await urls.innerText();
		process.stdout.write(
			`[e2e:editor] Flora Trigger webhook URLs:\n--- test\n${testText}\n--- production\n${prodText}\n`,
		);
		expect(testText).toContain(
			`${n8n.baseUrl}/webhook-test/0e2e0e2e-0000-4000-8000-00000000f10a/flora`,
		);
		expect(prodText).toContain(`${n8n.baseUrl}/webhook/0e2e0e2e-0000-4000-8000-00000000f10a/flora`);
		expect(prodText).toContain('POST');
		timings.record('Flora Trigger NDV: open → webhook URL', Date.now() - t0);
	});

	it('kept the browser on 127.0.0.1', () => {
		// everything else went to the refusing proxy (browser.ts); list it for the report
		if (session.blocked.length)
			process.stdout.write(
				`[e2e:editor] blocked non-local requests:\n  ${[...new Set(session.blocked)].join('\n  ')}\n`,
			);
		expect(session.blocked.every((u) => !u.startsWith('http://127.0.0.1'))).toBe(true);
	});
});
