import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeGetAction } from './action/get.operation';
import { executeGetAllActions } from './action/getAll.operation';
import { executeRunAction } from './action/run.operation';
import { executeGenerate } from './generation/generate.operation';
import { executeGetGeneration } from './generation/get.operation';
import { executeGetAllGenerations } from './generation/getAll.operation';
import { executeStartGeneration } from './generation/start.operation';
import { executeGetAllModels } from './model/getAll.operation';
import { executeGetTechnique } from './technique/get.operation';
import { executeGetAllTechniques } from './technique/getAll.operation';
import { executeGet } from './techniqueRun/get.operation';
import { executeGetAllRuns } from './techniqueRun/getAll.operation';
import { executeRun } from './techniqueRun/run.operation';
import { executeStart } from './techniqueRun/start.operation';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/** resource → operation → what it does (each in its `<operation>.operation.ts`). */
const OPERATIONS: Record<string, Record<string, Execute>> = {
	technique: { get: executeGetTechnique, getAll: executeGetAllTechniques },
	techniqueRun: {
		start: executeStart,
		run: executeRun,
		get: executeGet,
		getAll: executeGetAllRuns,
	},
	generation: {
		generate: executeGenerate,
		start: executeStartGeneration,
		get: executeGetGeneration,
		getAll: executeGetAllGenerations,
	},
	model: { getAll: executeGetAllModels },
	action: { run: executeRunAction, get: executeGetAction, getAll: executeGetAllActions },
};

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = OPERATIONS[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known to this version of the node`,
		);
	}
	return await execute.call(this);
}
