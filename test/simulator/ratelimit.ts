/** Per-workspace token bucket: `burst` tokens, refilled at `perSecond`. */
export interface RateLimitOptions {
	burst: number;
	perSecond: number;
}

export class RateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	/** Undefined when allowed; otherwise the whole seconds to wait (≥ 1). */
	take(
		workspaceId: string,
		opts: RateLimitOptions | undefined,
		now = Date.now(),
	): number | undefined {
		if (!opts) return undefined;
		const bucket = this.buckets.get(workspaceId) ?? { tokens: opts.burst, at: now };
		bucket.tokens = Math.min(
			opts.burst,
			bucket.tokens + ((now - bucket.at) / 1000) * opts.perSecond,
		);
		bucket.at = now;
		this.buckets.set(workspaceId, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return undefined;
		}
		return Math.max(1, Math.ceil((1 - bucket.tokens) / opts.perSecond));
	}

	reset(): void {
		this.buckets.clear();
	}
}
