import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { Technique } from '../../shared/flora.types';
import { formatUsd } from '../../shared/money';

/** Options › Max Cost per Run (USD), checked locally; undefined when not set. */
export function readCostCeiling(node: INode, raw: unknown, itemIndex?: number): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const ceiling = Number(raw);
	if (!Number.isFinite(ceiling) || ceiling < 0) {
		throw new NodeOperationError(
			node,
			`Options › Max Cost per Run: must be a number of USD, 0 or more (got ${String(raw)})`,
			{
				itemIndex,
			},
		);
	}
	return ceiling;
}

/** Refuses to start a run of a technique whose run_cost is above the ceiling. */
export function enforceCostCeiling(
	node: INode,
	technique: Technique,
	ceiling: number | undefined,
	itemIndex?: number,
): void {
	if (ceiling === undefined) return;
	const cost = Number(technique.run_cost);
	if (!Number.isFinite(cost)) {
		throw new NodeOperationError(
			node,
			`Technique ${technique.name} has no run_cost, so Max Cost per Run cannot be checked; nothing was started`,
			{
				itemIndex,
			},
		);
	}
	if (cost <= ceiling) return;
	const error = new NodeOperationError(
		node,
		`Technique ${technique.name} costs ${formatUsd(cost)} per run, above Options › Max Cost per Run (${formatUsd(ceiling)}); nothing was started`,
		{
			itemIndex,
			description: `No file was uploaded and no run was started. Raise Max Cost per Run to at least ${formatUsd(cost)} to allow this technique (${technique.technique_id}).`,
		},
	);
	error.context.runCost = cost;
	error.context.maxCostPerRun = ceiling;
	throw error;
}
