// A Vite plugin: turns SQuAD v1.1 dev (../shared/data/squad/dev-v1.1.json, never committed) into the
// QA demo's held-out examples asset, static/qa/held-out.json (ignored by git): the 8 held-out
// articles of src/lib/qa/split.ts in SQuAD's own format, with the attribution the app shows. Written
// when the dev server or a build starts, before SvelteKit lists the static files the service worker
// precaches. Without the data file the asset is left out and the QA page works on pasted text.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { HELD_OUT_ARTICLES } from '../src/lib/qa/split';

export const HELD_OUT_ATTRIBUTION =
	'Passages and questions: SQuAD v1.1 dev set (Rajpurkar et al., 2016, "SQuAD: 100,000+ Questions for Machine Comprehension of Text"), licensed CC BY-SA 4.0; passages from Wikipedia.';

/** Writes the asset from `data` into `out` if the data is there and the asset is older. */
export function writeHeldOutAsset(data: string, out: string): 'written' | 'fresh' | 'no-data' {
	if (!existsSync(data)) return 'no-data';
	if (existsSync(out) && statSync(out).mtimeMs >= statSync(data).mtimeMs) return 'fresh';
	const dev = JSON.parse(readFileSync(data, 'utf8')) as {
		version?: string;
		data: { title: string }[];
	};
	const held = new Set(HELD_OUT_ARTICLES);
	const articles = dev.data.filter((a) => held.has(a.title));
	if (articles.length !== HELD_OUT_ARTICLES.length) {
		throw new Error(
			`${data} holds ${articles.length} of the ${HELD_OUT_ARTICLES.length} held-out articles; it must be SQuAD v1.1 dev (dev-v1.1.json).`
		);
	}
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(
		out,
		JSON.stringify({
			version: dev.version ?? '1.1',
			attribution: HELD_OUT_ATTRIBUTION,
			data: articles
		})
	);
	return 'written';
}

export function qaHeldOutAsset(root = process.cwd()): Plugin {
	return {
		name: 'tinytwin-qa-held-out',
		config() {
			const data = resolve(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');
			const out = join(root, 'static', 'qa', 'held-out.json');
			if (writeHeldOutAsset(data, out) === 'no-data') {
				console.warn(
					`[qa] ${data} is missing: the QA demo will offer pasted passages only (no held-out questions).`
				);
			}
		}
	};
}
