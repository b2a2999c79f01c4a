/**
 * The package in n8n's real editor (n8n 2.41.1, headless Debian Chromium via playwright-core).
 * Screenshots go to artifacts/e2e/editor/. Needs provision.sh + npm run build.
 *
 * Selectors are n8n's own data-test-id attributes (checked in n8n-editor-ui 2.41.1's bundle and
 * in n8n's playwright page objects): node-creator-plus-button, node-creator-search-bar,
 * node-creator-item-name, ndv, resource-locator-<param>, rlc-input-container, rlc-item,
 * canvas-node, node-parameters; the trigger's "Webhook URLs" block is NodeWebhooks.vue (.node-webhooks).
 */
import type { Page } from 'playwright-core';

import { FloraSimulator } from '../simulator';
import { N8nInstance, type N8nRest } from '../../scripts/e2e/n8n-env';
import { launchBrowser, setupOwnerInUi, type BrowserSession } from './browser';
import {
	CREDENTIAL_NAME,
	EDITOR_NODE_WORKFLOW_ID,
	EDITOR_TRIGGER_WORKFLOW_ID,
	editorNodeWorkflow,
	editorTriggerWorkflow,
	floraCredential,
} from './fixtures';
import { Timings } from './timings';

jest.setTimeout(600_000);

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
			'import:workflow ×2',
			async () => await n8n.importWorkflows([editorNodeWorkflow(), editorTriggerWorkflow()]),
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
		timings.record('Flora NDV: open → technique picked', Date.now() - t0);
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
		// everything else was aborted by the route guard; list it for the report
		if (session.blocked.length)
			process.stdout.write(
				`[e2e:editor] blocked non-local requests:\n  ${[...new Set(session.blocked)].join('\n  ')}\n`,
			);
		expect(session.blocked.every((u) => !u.startsWith('http://127.0.0.1'))).toBe(true);
	});
});
