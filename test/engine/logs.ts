/**
 * Captures everything n8n logs during a run: both `LoggerProxy` (n8n-workflow, used by the
 * engine) and the DI `Logger` (@n8n/backend-common, what `this.logger` is inside a node).
 * Both end up in the same root Logger instance, whose level methods we replace.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface CapturedLog {
	level: LogLevel;
	message: string;
	meta: Record<string, unknown>;
}

const sinks = new Set<CapturedLog[]>();
let installed = false;

function record(level: LogLevel, message: unknown, meta: unknown) {
	if (sinks.size === 0) return;
	const entry: CapturedLog = {
		level,
		message: typeof message === 'string' ? message : String(message),
		meta: meta && typeof meta === 'object' ? { ...(meta as Record<string, unknown>) } : {},
	};
	for (const sink of sinks) sink.push(entry);
}

/** Idempotent: patches the root n8n Logger (all levels, even with N8N_LOG_LEVEL=silent) and points LoggerProxy at it. */
export function installLogCapture(): void {
	if (installed) return;
	installed = true;
	const logger = Container.get(Logger);
	const levels: LogLevel[] = ['error', 'warn', 'info', 'debug'];
	for (const level of levels) {
		Object.defineProperty(logger, level, {
			configurable: true,
			writable: true,
			value: (message: unknown, meta?: unknown) => record(level, message, meta),
		});
	}
	// Scoped child loggers must land in the same sink.
	Object.defineProperty(logger, 'scoped', {
		configurable: true,
		writable: true,
		value: () => logger,
	});
	LoggerProxy.init(logger);
}

/** Starts collecting; call the returned function to stop. The array fills while active. */
export function startLogCapture(): { logs: CapturedLog[]; stop: () => void } {
	installLogCapture();
	const logs: CapturedLog[] = [];
	sinks.add(logs);
	return { logs, stop: () => sinks.delete(logs) };
}

/** True when `needle` occurs in any captured message or (JSON-serialised) meta. */
export function logsContain(logs: CapturedLog[], needle: string): boolean {
	return logs.some((l) => l.message.includes(needle) || safeJson(l.meta).includes(needle));
}

function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		return JSON.stringify(value, (_k, v: unknown) => {
			if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
			if (v && typeof v === 'object') {
				if (seen.has(v)) return '[Circular]';
				seen.add(v);
			}
			return v;
		});
	} catch {
		return String(value);
	}
}
