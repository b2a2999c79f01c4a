import { configs as n8nConfigs } from '@n8n/eslint-plugin-community-nodes';
import * as jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

/** Files under `files` may not import from the folders named in `forbidden`. */
function layer(files, forbidden) {
	return [
		{
			files: [`${files}/*.ts`],
			rules: {
				'no-restricted-imports': [
					'error',
					{
						patterns: forbidden.map((folder) => ({
							group: [`**/${folder}/**`],
							message: `This layer may not depend on ${folder}/ (dependencies run one way).`,
						})),
					},
				],
			},
		},
	];
}

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'artifacts/**', 'coverage/**'] },
	// The package: n8n's community-node rules.
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
		...n8nConfigs.recommended,
	},
	// The package's layers depend one way: descriptions → inputs/starts/waiting → outputs → api →
	// transport → shared (see README › Development).
	...layer('nodes/shared/**', ['transport', 'api', 'outputs', 'Flora', 'FloraTrigger']),
	...layer('nodes/transport/**', ['api', 'outputs', 'Flora', 'FloraTrigger']),
	...layer('nodes/api/**', ['outputs', 'Flora', 'FloraTrigger']),
	...layer('nodes/outputs/**', ['api', 'Flora', 'FloraTrigger']),
	...layer('nodes/Flora/**', ['FloraTrigger']),
	...layer('nodes/Flora/inputs/**', [
		'descriptions',
		'methods',
		'starts',
		'waiting',
		'FloraTrigger',
	]),
	...layer('nodes/Flora/starts/**', ['descriptions', 'methods', 'waiting', 'FloraTrigger']),
	...layer('nodes/Flora/waiting/**', ['descriptions', 'methods', 'starts', 'FloraTrigger']),
	...layer('nodes/Flora/methods/**', ['descriptions', 'starts', 'waiting', 'FloraTrigger']),
	...layer('nodes/FloraTrigger/**', ['Flora']),
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		...n8nConfigs.recommended,
	},
	// Tests, benchmarks and scripts: TypeScript's recommended rules.
	...tseslint.configs.recommended.map((config) => ({
		...config,
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'index.ts'],
	})),
	{
		files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
			],
		},
	},
];
