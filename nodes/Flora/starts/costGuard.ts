import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { Technique } from '../../shared/flora.types';
import type { Action, Model } from '../../shared/platform.types';
import { formatUsd } from '../../shared/money';

/** An optional, non-negative number option (a cost ceiling); undefined when not set. */
function readCeiling(
	node: INode,
	field: string,
	unit: string,
	raw: unknown,
	itemIndex?: number,
): number | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const ceiling = Number(raw);
	if (!Number.isFinite(ceiling) || ceiling < 0) {
		throw new NodeOperationError(
			node,
			`Options › ${field}: must be a number of ${unit}, 0 or more (got ${String(raw)})`,
			{ itemIndex },
		);
	}
	return ceiling;
}

/** Options › Max Cost per Run (USD), checked locally; undefined when not set. */
export function readCostCeiling(node: INode, raw: unknown, itemIndex?: number): number | undefined {
	return readCeiling(node, 'Max Cost per Run', 'USD', raw, itemIndex);
}

/** Options › Max Credits per Generation, checked locally; undefined when not set. */
export function readCreditCeiling(
	node: INode,
	raw: unknown,
	itemIndex?: number,
): number | undefined {
	return readCeiling(node, 'Max Credits per Generation', 'credits', raw, itemIndex);
}

interface Priced {
	/** "Technique Earth Zoom Out", "Model FLUX 1.1 [pro]" */
	what: string;
	id: string;
	cost: number;
	/** The cost as the ceiling would have to read: "$0.50", "40". */
	raiseTo: string;
	/** How the cost reads: "$0.50 per run", "40 credits (estimated)". */
	costText: string;
	ceilingText: string;
	field: string;
}

function refuse(node: INode, priced: Priced, ceiling: number, itemIndex?: number): never {
	const error = new NodeOperationError(
		node,
		`${priced.what} costs ${priced.costText}, above Options › ${priced.field} (${priced.ceilingText}); nothing was started`,
		{
			itemIndex,
			description: `No file was uploaded and no run was started. Raise ${priced.field} to at least ${priced.raiseTo} to allow ${priced.id}.`,
		},
	);
	error.context.runCost = priced.cost;
	error.context.maxCost = ceiling;
	throw error;
}

/** Refuses to start a run of a technique whose run_cost (USD) is above the ceiling. */
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
			{ itemIndex },
		);
	}
	if (cost <= ceiling) return;
	refuse(
		node,
		{
			what: `Technique ${technique.name}`,
			id: `this technique (${technique.technique_id})`,
			cost,
			raiseTo: formatUsd(cost),
			costText: `${formatUsd(cost)} per run`,
			ceilingText: formatUsd(ceiling),
			field: 'Max Cost per Run',
		},
		ceiling,
		itemIndex,
	);
}

/** Refuses to start an action whose charged_cost (USD per execution) is above the ceiling. */
export function enforceActionCost(
	node: INode,
	action: Action,
	ceiling: number | undefined,
	itemIndex?: number,
): void {
	if (ceiling === undefined || action.charged_cost <= ceiling) return;
	refuse(
		node,
		{
			what: `Action ${action.name}`,
			id: `this action (${action.action_id})`,
			cost: action.charged_cost,
			raiseTo: formatUsd(action.charged_cost),
			costText: `${formatUsd(action.charged_cost)} per run`,
			ceilingText: formatUsd(ceiling),
			field: 'Max Cost per Run',
		},
		ceiling,
		itemIndex,
	);
}

/** Refuses to start a generation on a model whose estimated_credits are above the ceiling. */
export function enforceCreditCeiling(
	node: INode,
	model: Model,
	ceiling: number | undefined,
	itemIndex?: number,
): void {
	if (ceiling === undefined || model.estimated_credits <= ceiling) return;
	refuse(
		node,
		{
			what: `Model ${model.name}`,
			id: `this model (${model.model_id})`,
			cost: model.estimated_credits,
			raiseTo: String(model.estimated_credits),
			costText: `an estimated ${model.estimated_credits} credits per generation`,
			ceilingText: `${ceiling} credits`,
			field: 'Max Credits per Generation',
		},
		ceiling,
		itemIndex,
	);
}
