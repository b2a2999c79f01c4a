/**
 * The simulator's technique catalogue and workspaces.
 *
 * Covers every output type (imageUrl PNG, videoUrl MP4, audioUrl MP3, documentUrl PDF, text),
 * optional inputs, a video input, a technique with several outputs (`icon-pack`), a huge
 * streamed video (`big-video`, for memory benchmarks), an archived technique (start → 403
 * `forbidden`) and one too expensive for the default balance (start → 402 `insufficient_credits`).
 */
import { createHash } from 'node:crypto';
import type { Technique, TechniqueField, Workspace } from '../../nodes/shared/flora.types';

/** How the simulator renders an output field. */
export type MediaKind = 'png' | 'mp4' | 'mp3' | 'pdf' | 'big-mp4' | 'text';

export interface CatalogueEntry extends Technique {
	slug: string;
	/** Starting it answers 403 `forbidden`. Not part of the wire shape. */
	archived?: boolean;
	/** Media kind per output field (same order as `outputs`). Not part of the wire shape. */
	outputKinds: MediaKind[];
}

const techId = (slug: string): string =>
	'tech_' + createHash('sha256').update(slug).digest('hex').slice(0, 20);

const f = (
	id: string,
	name: string,
	type: TechniqueField['type'],
	extra: Partial<TechniqueField> = {},
): TechniqueField => ({
	id,
	name,
	type,
	...extra,
});

function entry(
	slug: string,
	name: string,
	description: string,
	run_cost: number,
	inputs: TechniqueField[],
	outputs: Array<[TechniqueField, MediaKind]>,
	archived = false,
): CatalogueEntry {
	return {
		technique_id: techId(slug),
		slug,
		name,
		description,
		run_cost,
		inputs,
		outputs: outputs.map(([field]) => field),
		outputKinds: outputs.map(([, kind]) => kind),
		...(archived ? { archived } : {}),
	};
}

/** Run cost above the default workspace balance (100 USD). */
export const EXPENSIVE_RUN_COST = 500;

export function buildCatalogue(): CatalogueEntry[] {
	return [
		entry(
			'cctv-cam',
			'CCTV Cam',
			'Turns a photo into a grainy security-camera still, guided by a text prompt.',
			0.08,
			[
				f('image', 'Image', 'imageUrl', {
					description: 'The photo to transform.',
					accepts_element: true,
				}),
				f('prompt', 'Prompt', 'text', { description: 'What the camera sees.' }),
			],
			[[f('image', 'CCTV still', 'imageUrl', { specified_aspect_ratio: '4:3' }), 'png']],
		),
		entry(
			'art-directors-critique',
			"Art Director's Critique",
			'An art director reviews an image and writes a critique.',
			0.02,
			[
				f('image', 'Image', 'imageUrl', { description: 'The work to critique.' }),
				f('focus', 'Focus', 'text', {
					description: 'What to focus on (optional).',
					optional: true,
				}),
			],
			[[f('critique', 'Critique', 'text'), 'text']],
		),
		entry(
			'auto-translate',
			'Auto Translate',
			'Translates a text into another language.',
			0.01,
			[
				f('text', 'Text', 'text', { description: 'The text to translate.' }),
				f('target_language', 'Target language', 'text', { description: 'e.g. French.' }),
			],
			[[f('translation', 'Translation', 'text'), 'text']],
		),
		entry(
			'earth-zoom-out',
			'Earth Zoom Out',
			'A cinematic zoom out from a place to the whole planet.',
			0.5,
			[f('image', 'Start frame', 'imageUrl', { description: 'Where the zoom starts.' })],
			[
				[
					f('video', 'Video', 'videoUrl', {
						specified_duration: 5,
						specified_aspect_ratio: '16:9',
					}),
					'mp4',
				],
			],
		),
		entry(
			'book-drop',
			'Book Drop',
			'Lays out a short illustrated booklet as a PDF.',
			0.15,
			[
				f('title', 'Title', 'text'),
				f('cover', 'Cover image', 'imageUrl', {
					optional: true,
					description: 'Optional cover art.',
				}),
			],
			[[f('book', 'Booklet', 'documentUrl'), 'pdf']],
		),
		entry(
			'icon-pack',
			'Icon Pack',
			'Generates a set of four matching icons and a style note.',
			0.2,
			[f('prompt', 'Prompt', 'text', { description: 'Theme of the icon pack.' })],
			[
				[f('icon_1', 'Icon 1', 'imageUrl', { specified_aspect_ratio: '1:1' }), 'png'],
				[f('icon_2', 'Icon 2', 'imageUrl', { specified_aspect_ratio: '1:1' }), 'png'],
				[f('icon_3', 'Icon 3', 'imageUrl', { specified_aspect_ratio: '1:1' }), 'png'],
				[f('icon_4', 'Icon 4', 'imageUrl', { specified_aspect_ratio: '1:1' }), 'png'],
				[f('style_note', 'Style note', 'text'), 'text'],
			],
		),
		entry(
			'glam-shots',
			'Glam Shots',
			'Studio-lit glamour portraits from a selfie, with an optional style.',
			0.1,
			[
				f('photo', 'Photo', 'imageUrl', { accepts_element: true }),
				f('style', 'Style', 'text', { optional: true }),
			],
			[[f('portrait', 'Portrait', 'imageUrl', { specified_aspect_ratio: '3:4' }), 'png']],
		),
		entry(
			'color-transfer',
			'Color Transfer',
			'Re-grades a video clip with the palette of a reference image.',
			0.4,
			[
				f('video', 'Video', 'videoUrl', { description: 'The clip to re-grade.' }),
				f('reference', 'Reference image', 'imageUrl'),
			],
			[[f('video', 'Graded video', 'videoUrl'), 'mp4']],
		),
		entry(
			'voice-over',
			'Voice Over',
			'Reads a script aloud as an MP3.',
			0.03,
			[f('script', 'Script', 'text'), f('voice', 'Voice', 'text', { optional: true })],
			[[f('audio', 'Narration', 'audioUrl'), 'mp3']],
		),
		entry(
			'cinematic-movie-generator',
			'Cinematic Movie Generator',
			'A full cinematic short from a prompt. Expensive.',
			EXPENSIVE_RUN_COST,
			[f('prompt', 'Prompt', 'text')],
			[[f('movie', 'Movie', 'videoUrl', { specified_duration: 60 }), 'mp4']],
		),
		entry(
			'big-video',
			'Big Video',
			'Benchmark: one very large video output, streamed.',
			0.05,
			[f('prompt', 'Prompt', 'text')],
			[[f('video', 'Video', 'videoUrl'), 'big-mp4']],
		),
		entry(
			'facade-swap',
			'Facade Swap (archived)',
			'Archived: replaces a building facade. Can no longer be run.',
			0.1,
			[f('image', 'Building', 'imageUrl'), f('prompt', 'Prompt', 'text')],
			[[f('image', 'Image', 'imageUrl'), 'png']],
			true,
		),
	];
}

/** The wire shape (no internal fields). */
export function publicTechnique(t: CatalogueEntry): Technique {
	return {
		technique_id: t.technique_id,
		slug: t.slug,
		name: t.name,
		...(t.description !== undefined ? { description: t.description } : {}),
		run_cost: t.run_cost,
		inputs: t.inputs.map((x) => ({ ...x })),
		outputs: t.outputs.map((x) => ({ ...x })),
	};
}

export function findTechnique(
	catalogue: CatalogueEntry[],
	idOrSlug: string,
): CatalogueEntry | undefined {
	return catalogue.find((t) => t.technique_id === idOrSlug || t.slug === idOrSlug);
}

export const DEFAULT_WORKSPACE_ID = 'ws_sim0000000000000001';
export const SECOND_WORKSPACE_ID = 'ws_sim0000000000000002';
/** Most workspaces the `workspaces` option can ask for. */
export const MAX_WORKSPACES = 5;

/** The id of the n-th (1-based) simulator workspace: `ws_sim0000000000000001` … `…0005`. */
export const simWorkspaceId = (n: number): string => `ws_sim${String(n).padStart(16, '0')}`;

const WORKSPACE_NAMES = [
	'Simulator Studio',
	'Second Workspace',
	'Third Workspace',
	'Fourth Workspace',
	'Fifth Workspace',
];

export function buildWorkspaces(count: number): Workspace[] {
	const created = 1767225600; // 2026-01-01T00:00:00Z
	const list: Workspace[] = [];
	for (let n = 1; n <= count; n++)
		list.push({
			workspace_id: simWorkspaceId(n),
			name: WORKSPACE_NAMES[n - 1],
			role: n === 1 ? 'owner' : 'member',
			created_at: created + (n - 1) * 86400,
		});
	return list;
}

/** Default project of a workspace (every run belongs to one). */
export const projectIdFor = (workspaceId: string): string => 'prj_' + workspaceId.slice(3);
