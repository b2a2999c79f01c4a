import { configs as n8nConfigs } from '@n8n/eslint-plugin-community-nodes';
import * as jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'artifacts/**', 'coverage/**'] },
	// The package: n8n's community-node rules.
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
		...n8nConfigs.recommended,
	},
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
