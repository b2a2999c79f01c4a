/**
 * Projects: every workspace has a default project (`prj_` + the workspace id's tail, e.g.
 * `prj_sim0000000000000001`, origin null, named "Default project"), except the workspaces
 * listed in the simulator option `workspacesWithoutProjects` (they start with none). Projects
 * created through the API (`POST /projects`, `POST /workspaces/{ws}/projects`) get a random
 * `prj_` id and origin "api". A run filed in a project sets its `last_modified`; lists are
 * "most recently active first" (last_modified, else created_at; newest created breaks ties).
 */
import type { Workspace } from '../../nodes/shared/flora.types';
import type { Project } from '../../nodes/shared/platform.types';
import { projectIdFor } from './catalogue';
import { newId, nowSeconds } from './ids';

export interface ProjectRecord {
	projectId: string;
	workspaceId: string;
	name: string;
	createdAtMs: number;
	lastModifiedMs?: number;
	origin: string | null;
	seq: number;
	isDefault: boolean;
}

export const DEFAULT_PROJECT_NAME = 'Default project';

export class ProjectStore {
	private readonly projects = new Map<string, ProjectRecord>();
	private seq = 0;

	/** Makes the default projects match the workspaces (adds missing ones, drops those of `without`). */
	syncDefaults(workspaces: Workspace[], without: readonly string[]): void {
		for (const w of workspaces) {
			const id = projectIdFor(w.workspace_id);
			if (without.includes(w.workspace_id)) this.projects.delete(id);
			else if (!this.projects.has(id))
				this.projects.set(id, {
					projectId: id,
					workspaceId: w.workspace_id,
					name: DEFAULT_PROJECT_NAME,
					createdAtMs: w.created_at * 1000,
					origin: null,
					seq: ++this.seq,
					isDefault: true,
				});
		}
	}

	get(projectId: string): ProjectRecord | undefined {
		return this.projects.get(projectId);
	}

	create(workspaceId: string, name: string, origin: string | null = 'api'): ProjectRecord {
		const rec: ProjectRecord = {
			projectId: newId('prj_'),
			workspaceId,
			name,
			createdAtMs: Date.now(),
			origin,
			seq: ++this.seq,
			isDefault: false,
		};
		this.projects.set(rec.projectId, rec);
		return rec;
	}

	/** A run was filed in this project. */
	touch(projectId: string | undefined, now = Date.now()): void {
		const rec = projectId ? this.projects.get(projectId) : undefined;
		if (rec) rec.lastModifiedMs = now;
	}

	/** The workspace's projects, most recently active first. */
	list(workspaceId: string): ProjectRecord[] {
		const active = (p: ProjectRecord) => p.lastModifiedMs ?? p.createdAtMs;
		return [...this.projects.values()]
			.filter((p) => p.workspaceId === workspaceId)
			.sort((a, b) => active(b) - active(a) || b.seq - a.seq);
	}

	view(p: ProjectRecord): Project {
		return {
			project_id: p.projectId,
			workspace_id: p.workspaceId,
			name: p.name,
			created_at: nowSeconds(p.createdAtMs),
			last_modified: p.lastModifiedMs === undefined ? null : nowSeconds(p.lastModifiedMs),
			origin: p.origin,
		};
	}
}
