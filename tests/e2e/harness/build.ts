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

/**
 * A test-only build: the app built with TINYTWIN_BUILD_VARIANT set (svelte.config.js puts it in
 * build-<variant>/ and .svelte-kit-<variant>/; vite.config.ts turns on what the variant changes).
 * 'wrong-expectation': the compare holds the board to a deliberately wrong expectation.
 */
export type BuildVariant = 'wrong-expectation';

export function buildDir(variant?: BuildVariant): string {
	return variant ? join(ROOT, `build-${variant}`) : BUILD_DIR;
}

/** The environment that builds or serves `variant` (the real build without one). */
export function variantEnv(variant?: BuildVariant): NodeJS.ProcessEnv {
	const env = { ...process.env };
	if (variant) env.TINYTWIN_BUILD_VARIANT = variant;
	else delete env.TINYTWIN_BUILD_VARIANT;
	return env;
}
/** Where the e2e tests save screenshots: never docs/screenshots/, which only
 * scripts/refresh-screenshots.sh rewrites, on purpose (`npm test` leaves the tree clean). */
export const SHOTS_DIR = join(ROOT, 'test-results/screenshots');
const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
const lockOf = (variant?: BuildVariant) =>
	join(
		tmpdir(),
		`tinytwin-e2e-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}${variant ? `-${variant}` : ''}.lock`
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

/** True when build/index.html (or the variant's) exists and is newer than every source file. */
export function buildIsFresh(variant?: BuildVariant): boolean {
	const index = join(buildDir(variant), 'index.html');
	if (!existsSync(index)) return false;
	const built = statSync(index).mtimeMs;
	return SOURCES.every((s) => newestMtime(join(ROOT, s)) <= built);
}

async function acquireLock(lock: string): Promise<void> {
	for (;;) {
		try {
			mkdirSync(lock);
			return;
		} catch {
			try {
				if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true });
			} catch {
				// released meanwhile
			}
			await new Promise((ok) => setTimeout(ok, 500));
		}
	}
}

function runViteBuild(variant?: BuildVariant): Promise<void> {
	return new Promise((ok, fail) => {
		const child = track(
			spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
				cwd: ROOT,
				// vitest sets NODE_ENV=test; inherited, it would make a development build (no service
				// worker registration, no offline).
				env: { ...variantEnv(variant), NODE_ENV: 'production' },
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

/**
 * Runs `vite build` unless build/ (or the variant's directory) is fresh (or `force`). Resolves when
 * it is usable.
 */
export async function ensureBuild(
	options: { force?: boolean; variant?: BuildVariant } = {}
): Promise<void> {
	const { variant } = options;
	if (!options.force && buildIsFresh(variant)) return;
	const lock = lockOf(variant);
	await acquireLock(lock);
	try {
		if (!options.force && buildIsFresh(variant)) return; // another worker built it meanwhile
		await runViteBuild(variant);
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}
