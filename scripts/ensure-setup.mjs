#!/usr/bin/env node
// Installs whatever a fresh clone is missing, so `npm start` and `npm test` are the only commands a
// person needs. Node packages: `npm install` (it installs the versions package-lock.json pins) when
// node_modules is absent or older than package-lock.json. Not `npm ci`: with this workplace's npm
// setting omit-lockfile-registry-resolved, npm 11 writes lockfiles without other platforms' optional
// packages (rollup's), and `npm ci` then refuses the lockfile as out of sync.
// System packages (tests only: compilers, emulators, Chromium): scripts/install-system-deps.sh.
// The oracle's Python packages (tests only): scripts/setup-oracle.sh, into .venv.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';

function run(cmd, args) {
	execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

const stamp = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
	console.error('[setup] installing Node packages (npm install, versions from package-lock.json)…');
	run('npm', ['install', '--no-audit', '--no-fund']);
}

if (mode === 'test') {
	run('bash', [join(root, 'scripts', 'install-system-deps.sh')]);
	// The oracle's Python venv (.venv: TensorFlow Lite, TFLM's interpreter), for tests/oracle/derive.py.
	run('bash', [join(root, 'scripts', 'setup-oracle.sh')]);
}
