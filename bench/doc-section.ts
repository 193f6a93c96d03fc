// docs/benchmarks.md is assembled from sections, each owned by one bench script and replaced whole
// when that script runs again: <!-- section:NAME --> … <!-- /section:NAME -->.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DOC = new URL('../docs/benchmarks.md', import.meta.url);
const HEAD = `# Benchmarks

Each section says the command that produced it. The machines are shared and noisy: figures are medians
of repeated runs measured side by side in one process, and ratios against the line are what the goals
are about.
`;

export function writeSection(name: string, body: string): void {
	const open = `<!-- section:${name} -->`;
	const close = `<!-- /section:${name} -->`;
	let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEAD;
	if (!doc.startsWith('# Benchmarks')) doc = HEAD;
	const block = `${open}\n\n${body.trim()}\n\n${close}`;
	const i = doc.indexOf(open);
	const j = doc.indexOf(close);
	doc =
		i >= 0 && j > i
			? doc.slice(0, i) + block + doc.slice(j + close.length)
			: `${doc.trimEnd()}\n\n${block}\n`;
	writeFileSync(DOC, doc);
	// Tables come out unaligned; the formatter keeps the committed file as CI checks it.
	execFileSync('npx', ['prettier', '--write', fileURLToPath(DOC)], { stdio: 'ignore' });
}
