// Builds the app once (vite build → build/, adapter-static) when build/ is missing or older than its
// sources. Several test files may ask at once: a lock directory makes one build and the rest wait.
// adapter-static empties build/ first: nothing else may keep files there (test logs go to
// test-results/).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './processes';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
export const BUILD_DIR = join(ROOT, 'build');
/** Where the e2e tests save screenshots: never docs/screenshots/, which only
 * scripts/refresh-screenshots.sh rewrites, on purpose (`npm test` leaves the tree clean). */
export const SHOTS_DIR = join(ROOT, 'test-results/screenshots');
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const LOCK = join(
	tmpdir(),
	`tinytwin-e2e-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`
);
const STALE_LOCK_MS = 10 * 60_000;

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
	return newest;
}

/** True when build/index.html exists and is newer than every source file. */
export function buildIsFresh(): boolean {
	const index = join(BUILD_DIR, 'index.html');
	if (!existsSync(index)) return false;
	const built = statSync(index).mtimeMs;
	return SOURCES.every((s) => newestMtime(join(ROOT, s)) <= built);
}

async function acquireLock(): Promise<void> {
	for (;;) {
		try {
			mkdirSync(LOCK);
			return;
		} catch {
			try {
				if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true });
			} catch {
				// released meanwhile
			}
			await new Promise((ok) => setTimeout(ok, 500));
		}
	}
}

function runViteBuild(): Promise<void> {
	return new Promise((ok, fail) => {
		const child = track(
			spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
				cwd: ROOT,
				// vitest sets NODE_ENV=test; inherited, it would make a development build (no service
				// worker registration, no offline).
				env: { ...process.env, NODE_ENV: 'production' },
				stdio: ['ignore', 'pipe', 'pipe']
			})
		);
		let out = '';
		const keep = (b: Buffer) => (out = (out + b.toString('utf8')).slice(-8000));
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		child.once('error', fail);
		child.once('exit', (code) =>
			code === 0 ? ok() : fail(new Error(`vite build failed (exit ${code}):\n${out}`))
		);
	});
}

/** Runs `vite build` unless build/ is fresh (or `force`). Resolves when build/ is usable. */
export async function ensureBuild(options: { force?: boolean } = {}): Promise<void> {
	if (!options.force && buildIsFresh()) return;
	await acquireLock();
	try {
		if (!options.force && buildIsFresh()) return; // another worker built it while we waited
		await runViteBuild();
	} finally {
		rmSync(LOCK, { recursive: true, force: true });
	}
}
