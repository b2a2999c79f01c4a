/**
 * The FLORA simulator in a child process (like test/simulator/cli.ts), plus an IPC channel
 * the benchmarks use to count what arrived: requests per route, how many carried the exact
 * `Authorization: Bearer <key>` header, and their statuses. Started by `startStatsSimulator`
 * in bench/common.ts; options come as JSON in argv[2].
 */
import { FloraSimulator, type SimulatorOptions } from '../test/simulator';

export interface RouteCount {
	/** e.g. `GET /techniques/:t/runs/:id` */
	route: string;
	count: number;
	/** Requests whose Authorization header was exactly `Bearer <the simulator's key>`. */
	bearerOk: number;
	/** status → count */
	statuses: Record<string, number>;
}

export type SimRequestMessage = { id: number; cmd: 'stats' | 'reset' };

/** Webhook delivery attempts since the last reset: how many, and what the receiver answered. */
export interface DeliveryCount {
	attempts: number;
	/** status (or `error`) → count */
	statuses: Record<string, number>;
}

function routeOf(method: string, path: string): string {
	if (path.startsWith('/media/')) return `${method} /media/:run/:file (download)`;
	const rel = path.replace(/^\/api\/v1/, '');
	const pattern = rel
		.replace(/^\/techniques\/[^/]+\/runs\/[^/]+$/, '/techniques/:t/runs/:id')
		.replace(/^\/techniques\/[^/]+\/runs$/, '/techniques/:t/runs')
		.replace(/^\/techniques\/[^/]+$/, '/techniques/:t')
		.replace(/^\/runs\/[^/]+$/, '/runs/:id');
	return `${method} ${pattern}`;
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
	const sim = await FloraSimulator.start(options);
	const bearer = `Bearer ${sim.apiKey}`;
	let deliveriesSeen = 0;
	process.on('message', (msg: SimRequestMessage) => {
		if (msg.cmd === 'reset') {
			sim.clearRequests();
			sim.resetStats();
			deliveriesSeen = sim.webhookDeliveries.length;
			process.send!({ id: msg.id, ok: true });
			return;
		}
		const byRoute = new Map<string, RouteCount>();
		for (const r of sim.requests) {
			const route = routeOf(r.method, r.path);
			let c = byRoute.get(route);
			if (!c) byRoute.set(route, (c = { route, count: 0, bearerOk: 0, statuses: {} }));
			c.count++;
			if (r.headers.authorization === bearer) c.bearerOk++;
			const s = String(r.response.status);
			c.statuses[s] = (c.statuses[s] ?? 0) + 1;
		}
		const deliveries: DeliveryCount = { attempts: 0, statuses: {} };
		for (const d of sim.webhookDeliveries.slice(deliveriesSeen)) {
			deliveries.attempts++;
			const s = d.status === undefined ? 'error' : String(d.status);
			deliveries.statuses[s] = (deliveries.statuses[s] ?? 0) + 1;
		}
		process.send!({ id: msg.id, routes: [...byRoute.values()], stats: sim.stats, deliveries });
	});
	process.stdout.write(
		`base URL: ${sim.baseUrl}\napi key: ${sim.apiKey}\nwebhook secret: ${sim.webhookSecret}\n`,
	);
	const stop = () => void sim.close().then(() => process.exit(0));
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	process.once('disconnect', stop);
}

void main();
