// Writes firmware/examples/TinyTwin/board_profiles.h from src/lib/model/fit/board-profiles.ts, the
// one source of the board profiles (scripts/board-profiles-header.ts says what it holds).
//   npx tsx scripts/gen-board-profiles.ts          write it
//   npx tsx scripts/gen-board-profiles.ts --check  exit 1 if the committed file differs

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOARD_PROFILES_HEADER, boardProfilesHeader } from './board-profiles-header';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const path = join(root, BOARD_PROFILES_HEADER);
const text = boardProfilesHeader();

if (process.argv.includes('--check')) {
	let committed = '';
	try {
		committed = readFileSync(path, 'utf8');
	} catch {
		// missing: differs
	}
	if (committed !== text) {
		console.error(
			`${BOARD_PROFILES_HEADER} differs from the profiles; run npx tsx scripts/gen-board-profiles.ts`
		);
		process.exit(1);
	}
	console.log(`${BOARD_PROFILES_HEADER} is up to date`);
} else {
	writeFileSync(path, text);
	console.log(`wrote ${BOARD_PROFILES_HEADER}`);
}
