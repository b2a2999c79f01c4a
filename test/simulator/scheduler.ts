/** Every timer the simulator creates goes through here, so close() can clear them all. */
export class Scheduler {
	private readonly timers = new Set<NodeJS.Timeout>();
	private closed = false;

	setTimeout(fn: () => void, ms: number): NodeJS.Timeout | undefined {
		if (this.closed) return undefined;
		const timer = setTimeout(
			() => {
				this.timers.delete(timer);
				fn();
			},
			Math.max(0, ms),
		);
		this.timers.add(timer);
		return timer;
	}

	clear(timer: NodeJS.Timeout | undefined): void {
		if (!timer) return;
		clearTimeout(timer);
		this.timers.delete(timer);
	}

	/** Resolves after `ms` (or never, once closed: the caller is abandoned with the server). */
	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.setTimeout(resolve, ms);
		});
	}

	/** Timers still pending (0 once closed). */
	get pending(): number {
		return this.timers.size;
	}

	get isClosed(): boolean {
		return this.closed;
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}
