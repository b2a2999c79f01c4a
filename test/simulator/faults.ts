/**
 * Fault injection. A fault matches by `method` (any when absent) and `path` (RegExp tested
 * against the pathname, or a string that is a prefix of the pathname; any when absent), and
 * fires for the next `times` matching requests (default 1), or with probability `rate`
 * (0..1, seeded PRNG → reproducible; unlimited unless `times` is also given). The first
 * matching fault wins.
 *
 *   rate_limited                 429 rate_limited, `retry-after: <retryAfterSeconds ?? 1>`
 *   rate_limited_no_retry_after  429 rate_limited, no retry-after header
 *   rate_limited_http_date       429 rate_limited, `retry-after: <HTTP-date now + retryAfterSeconds ?? 1>`
 *   internal_error               500 internal_error
 *   service_unavailable          503 service_unavailable (retry-after only if retryAfterSeconds)
 *   reset                        socket destroyed before any response (the request is NOT processed)
 *   lost_response                request fully processed (a run IS created), then the socket is destroyed
 *   slow                         processed, then the answer is delayed by delayMs (default 2000)
 * A hostile or broken server in front of FLORA (nothing is processed):
 *   redirect                     `status` (default 302) with `Location: <location>`
 *   answer                       `status` (default 200) with `body` as `contentType` (default text/html)
 *   hang                         never answers (the socket stays open until the client gives up)
 *   stall                        200, headers and the first KiB of a 1 MiB body, then nothing more
 */
import { seededRandom } from './ids';

export type FaultKind =
	| 'rate_limited'
	| 'rate_limited_no_retry_after'
	| 'rate_limited_http_date'
	| 'internal_error'
	| 'service_unavailable'
	| 'reset'
	| 'lost_response'
	| 'slow'
	| 'redirect'
	| 'answer'
	| 'hang'
	| 'stall';

export interface FaultSpec {
	kind: FaultKind;
	method?: string;
	path?: RegExp | string;
	/** Inject into the next N matching requests (default 1 when `rate` is absent). */
	times?: number;
	/** 0..1 probability per matching request instead (seeded PRNG). */
	rate?: number;
	delayMs?: number;
	retryAfterSeconds?: number;
	/** redirect / answer: the HTTP status. */
	status?: number;
	/** redirect: where to. */
	location?: string;
	/** answer: the body, verbatim. */
	body?: string;
	/** answer: its Content-Type. */
	contentType?: string;
}

interface ActiveFault {
	spec: FaultSpec;
	remaining: number;
}

export class FaultInjector {
	private faults: ActiveFault[] = [];
	private random: () => number;
	/** How many requests each kind of fault was applied to (reset by FloraSimulator.resetStats). */
	readonly injected: Partial<Record<FaultKind, number>> = {};

	constructor(seed: number) {
		this.random = seededRandom(seed);
	}

	reseed(seed: number): void {
		this.random = seededRandom(seed);
	}

	add(spec: FaultSpec): void {
		if (spec.rate !== undefined && (spec.rate < 0 || spec.rate > 1))
			throw new Error('FaultSpec.rate must be within 0..1');
		const remaining = spec.times ?? (spec.rate === undefined ? 1 : Number.POSITIVE_INFINITY);
		this.faults.push({ spec, remaining });
	}

	clear(): void {
		this.faults = [];
	}

	get pending(): FaultSpec[] {
		return this.faults.map((f) => f.spec);
	}

	/** The fault to apply to this request, if any (consumes one use). */
	take(method: string, path: string): FaultSpec | undefined {
		for (const fault of this.faults) {
			const { spec } = fault;
			if (fault.remaining <= 0) continue;
			if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) continue;
			if (spec.path !== undefined) {
				if (typeof spec.path === 'string' ? !path.startsWith(spec.path) : !spec.path.test(path))
					continue;
			}
			if (spec.rate !== undefined && this.random() >= spec.rate) continue;
			fault.remaining--;
			this.faults = this.faults.filter((f) => f.remaining > 0);
			this.injected[spec.kind] = (this.injected[spec.kind] ?? 0) + 1;
			return spec;
		}
		return undefined;
	}
}
