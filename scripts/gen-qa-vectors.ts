// Regenerates the generated part of tests/fixtures/qa/tokenizer-vectors.json (the hand-written
// part is kept as it is) and firmware/tests/qa_vectors.h from the whole file.
//   npx tsx scripts/gen-qa-vectors.ts          write both
//   npx tsx scripts/gen-qa-vectors.ts --check  exit 1 if either committed file differs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	generatedVectors,
	VECTORS_HEADER,
	VECTORS_JSON,
	vectorsHeader,
	vectorsJson,
	type VectorDoc
} from './qa-vectors';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jsonPath = join(root, VECTORS_JSON);
const headerPath = join(root, VECTORS_HEADER);
const committedJson = readFileSync(jsonPath, 'utf8');
const doc = JSON.parse(committedJson) as VectorDoc;
doc.generated = generatedVectors(doc.buckets);
const json = vectorsJson(doc);
const header = vectorsHeader(doc);

if (process.argv.includes('--check')) {
	let committedHeader = '';
	try {
		committedHeader = readFileSync(headerPath, 'utf8');
	} catch {
		// missing: differs
	}
	const stale = [
		...(committedJson !== json ? [VECTORS_JSON] : []),
		...(committedHeader !== header ? [VECTORS_HEADER] : [])
	];
	if (stale.length > 0) {
		console.error(`${stale.join(' and ')} differ; run npx tsx scripts/gen-qa-vectors.ts`);
		process.exit(1);
	}
	console.log(`${VECTORS_JSON} and ${VECTORS_HEADER} are up to date`);
} else {
	writeFileSync(jsonPath, json);
	writeFileSync(headerPath, header);
	console.log(`wrote ${VECTORS_JSON} and ${VECTORS_HEADER}`);
}
