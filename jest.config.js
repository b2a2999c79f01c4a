/** Engine tests run the built package (dist/) inside n8n's real execution engine against the simulator. */
const tsJest = [
	'ts-jest',
	{ tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false },
];

module.exports = {
	projects: [
		{
			displayName: 'engine',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/**/*.test.ts'],
			testPathIgnorePatterns: ['<rootDir>/test/e2e/', '/node_modules/', '<rootDir>/dist/'],
			setupFiles: ['<rootDir>/test/engine/env.ts'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform: { '^.+\\.ts$': tsJest },
			testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
		},
	],
};
