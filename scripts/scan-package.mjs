// The checks of `@n8n/scan-community-package`, run on what we would publish: the packed
// tarball (`npm pack`), then the TypeScript sources (the scanner's "attested source" leg).
// The published CLI downloads from the npm registry; this runs its analyzePackage locally.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'flora-scan-'));
let failed = false;
try {
	const [{ filename, files }] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	execFileSync('tar', ['xzf', join(work, filename), '-C', work]);
	const unpacked = join(work, 'package');
	console.log(`packed ${filename}: ${files.length} files`);
	for (const [leg, dir, patterns] of [
		['tarball', unpacked, undefined],
		['sources', root, SOURCE_FILE_PATTERNS],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(
			`${result.passed ? 'PASS' : 'FAIL'} ${leg}${result.message ? `: ${result.message}` : ''}`,
		);
		if (!result.passed) {
			failed = true;
			if (result.details) console.log(result.details);
		}
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
