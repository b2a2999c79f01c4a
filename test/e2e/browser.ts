/** Headless Debian Chromium via playwright-core, confined to 127.0.0.1 (see startBlackholeProxy). */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

import { ARTIFACTS_DIR, OWNER, REPO_ROOT } from '../../scripts/e2e/n8n-env';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** The README's screenshots; the editor test rewrites them only with E2E_UPDATE_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS_DIR = join(REPO_ROOT, 'docs', 'screenshots');

export interface BrowserSession {
	context: BrowserContext;
	page: Page;
	/** Where the browser tried to connect other than 127.0.0.1 (all refused by the proxy). */
	blocked: string[];
	close(): Promise<void>;
	shot(name: string): Promise<string>;
	/**
	 * A README screenshot cropped to `area` (an element, or several: their bounding box) and,
	 * with `until`, cut 12 px below that element. Written as `<name>.png` to the suite's
	 * artifacts/…/docs/ and, with E2E_UPDATE_SCREENSHOTS=1, to docs/screenshots/. Returns the
	 * artifact's path.
	 */
	docShot(name: string, area: Locator | Locator[], options?: { until?: Locator }): Promise<string>;
}

/**
 * A proxy that forwards nothing: Chromium sends it every request that is not for the loopback
 * (which Chromium never proxies), its own background traffic included; each is answered 403
 * and its destination recorded (`https://host:443` for a tunnel, the URL for plain HTTP).
 */
async function startBlackholeProxy(): Promise<{ port: number; blocked: string[]; close(): void }> {
	const blocked: string[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		socket.once('data', (data: Buffer) => {
			const [method, target] = data.toString('latin1').split('\r\n')[0].split(' ');
			blocked.push(method === 'CONNECT' ? `https://${target}` : (target ?? '?'));
			socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	if (!address || typeof address !== 'object') throw new Error('proxy did not listen');
	return {
		port: address.port,
		blocked,
		close() {
			for (const socket of sockets) socket.destroy();
			server.close();
		},
	};
}

export async function launchBrowser(suite: string): Promise<BrowserSession> {
	// n8n marks its UI with data-test-id (its own playwright config sets the same)
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = mkdtempSync(join(tmpdir(), 'flora-e2e-chromium-'));
	// Everything but 127.0.0.1 goes to a proxy that refuses it. Unlike request interception
	// (context.route) this also stops Chromium's own requests (update, accounts, autofill) and
	// leaves the HTTP cache on, which interception turns off: n8n's editor loads ~570 assets.
	const proxy = await startBlackholeProxy();
	// a fresh profile per run (playwright wants it as the persistent-context argument, not --user-data-dir)
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-quic',
			'--no-first-run',
			`--proxy-server=http://127.0.0.1:${proxy.port}`,
		],
		viewport: { width: 1600, height: 1000 },
		deviceScaleFactor: 1,
	});
	const blocked = proxy.blocked;
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	const dir = join(ARTIFACTS_DIR, suite);
	rmSync(dir, { recursive: true, force: true }); // screenshots of this run only
	mkdirSync(dir, { recursive: true });
	let n = 0;
	return {
		context,
		page,
		blocked,
		async shot(name: string) {
			const file = join(dir, `${String(++n).padStart(2, '0')}-${name}.png`);
			await page.screenshot({ path: file, fullPage: false });
			return file;
		},
		async docShot(name: string, area: Locator | Locator[], options: { until?: Locator } = {}) {
			const boxOf = async (locator: Locator) => {
				const box = await locator.boundingBox();
				if (!box) throw new Error(`docShot ${name}: ${String(locator)} is not visible`);
				return box;
			};
			const boxes = await Promise.all((Array.isArray(area) ? area : [area]).map(boxOf));
			const x = Math.min(...boxes.map((b) => b.x));
			const y = Math.min(...boxes.map((b) => b.y));
			let bottom = Math.max(...boxes.map((b) => b.y + b.height));
			if (options.until) {
				const end = await boxOf(options.until);
				bottom = Math.min(bottom, end.y + end.height + 12);
			}
			const clip = {
				x,
				y,
				width: Math.max(...boxes.map((b) => b.x + b.width)) - x,
				height: bottom - y,
			};
			mkdirSync(join(dir, 'docs'), { recursive: true });
			const file = join(dir, 'docs', `${name}.png`);
			await page.screenshot({ path: file, clip });
			if (process.env.E2E_UPDATE_SCREENSHOTS === '1')
				copyFileSync(file, join(DOCS_SCREENSHOTS_DIR, `${name}.png`));
			return file;
		},
		async close() {
			await context.close().catch(() => undefined);
			proxy.close();
			rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** A form field of n8n's N8nFormInputs (data-test-id = field name, on the wrapper or on the input itself). */
export function formField(page: Page, name: string) {
	return page.locator(`[data-test-id="${name}"] input, input[data-test-id="${name}"]`).first();
}

/** First-run owner setup through the editor's /setup form (SetupView: email, firstName, lastName, password). */
export async function setupOwnerInUi(page: Page, baseUrl: string, owner = OWNER): Promise<void> {
	await page.goto(`${baseUrl}/setup`);
	await formField(page, 'email').fill(owner.email);
	await formField(page, 'firstName').fill(owner.firstName);
	await formField(page, 'lastName').fill(owner.lastName);
	await formField(page, 'password').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/setup'), { timeout: 30_000 });
}

/** Sign in through /signin (for an owner created over REST). */
export async function signInInUi(page: Page, baseUrl: string, owner = OWNER): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await formField(page, 'emailOrLdapLoginId').fill(owner.email);
	await formField(page, 'password').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** What reached the editor, in the order the browser saw it. */
export interface EditorEvent {
	kind: 'console' | 'push';
	/** console: the message text; push: the push message's type (`executionFinished`, …). */
	text: string;
	/** push: the node the message is about, when it names one. */
	nodeName?: string;
}

/**
 * Records the browser console and the messages n8n pushes to the editor over its websocket
 * (`/rest/push`), in one list, in arrival order. Start it before the page (re)loads: a
 * websocket opened earlier is not seen.
 */
export function recordEditorEvents(page: Page): { events: EditorEvent[]; stop(): void } {
	const events: EditorEvent[] = [];
	const onConsole = (message: { text(): string }) =>
		events.push({ kind: 'console', text: message.text() });
	const onWebSocket = (ws: {
		url(): string;
		on(event: 'framereceived', fn: (frame: { payload: string | Buffer }) => void): void;
	}) => {
		if (!ws.url().includes('/rest/push')) return;
		ws.on('framereceived', ({ payload }) => {
			try {
				const message = JSON.parse(payload.toString()) as {
					type?: string;
					data?: { nodeName?: string };
				};
				if (typeof message.type === 'string')
					events.push({ kind: 'push', text: message.type, nodeName: message.data?.nodeName });
			} catch {
				/* not a JSON push message */
			}
		});
	};
	page.on('console', onConsole);
	page.on('websocket', onWebSocket);
	return {
		events,
		stop() {
			page.off('console', onConsole);
			page.off('websocket', onWebSocket);
		},
	};
}
