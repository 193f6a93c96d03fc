// Golden vectors shared by the TS and C++ tests: for small models covering every op and variant of
// docs/model-format.md §5, writes tests/fixtures/golden/<name>.ttm (the blob), <name>.io (inputs and
// the reference executor's outputs) and index.json. Deterministic: seeded inputs, committed weights.
//   npx tsx scripts/make-golden.ts
//
// .io layout, little-endian: "TTIO", u32 count, u32 input_bytes, u32 output_bytes, then count ×
// input_bytes input records (model inputs concatenated), then count × output_bytes expected outputs.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBlobWithPlan } from '../src/lib/model/format/blob-writer';
import { byteSize } from '../src/lib/model/ir/ir';
import { createExecutor } from '../src/lib/model/exec/reference-executor';
import { mulberry32 } from '../src/lib/model/mlp/rng';
import { specs } from './golden-cases';

export interface GoldenCase {
	name: string;
	description: string;
	ops: string[];
	blob: Uint8Array;
	io: Uint8Array;
	count: number;
	inputBytes: number;
	outputBytes: number;
	arenaBytes: number;
	/** 0: outputs must match byte for byte; else float outputs may differ by this many ulp. */
	maxUlp: number;
}

export function encodeIo(
	count: number,
	inputBytes: number,
	outputBytes: number,
	inputs: Uint8Array,
	outputs: Uint8Array
): Uint8Array {
	const out = new Uint8Array(16 + inputs.length + outputs.length);
	const v = new DataView(out.buffer);
	out.set([0x54, 0x54, 0x49, 0x4f], 0); // "TTIO"
	v.setUint32(4, count, true);
	v.setUint32(8, inputBytes, true);
	v.setUint32(12, outputBytes, true);
	out.set(inputs, 16);
	out.set(outputs, 16 + inputs.length);
	return out;
}

/** Builds every golden case in memory (what the unit test compares with the committed files). */
export function buildGoldenSet(): GoldenCase[] {
	return specs().map((spec, k) => {
		const { bytes: blob, plan } = writeBlobWithPlan(spec.model);
		const exec = createExecutor(blob);
		const { inputBytes, outputBytes } = exec.model;
		const expectedInputBytes = spec.model.inputs.reduce(
			(s, i) => s + byteSize(spec.model.tensors[i]!),
			0
		);
		if (inputBytes !== expectedInputBytes) throw new Error(`${spec.name}: input size mismatch`);
		const { bytes, count } = spec.inputs(mulberry32(1000 + k), inputBytes);
		const outputs = exec.run(bytes, count);
		return {
			name: spec.name,
			description: spec.description,
			ops: spec.model.ops.map((op) => op.kind),
			blob,
			io: encodeIo(count, inputBytes, outputBytes, bytes, outputs),
			count,
			inputBytes,
			outputBytes,
			arenaBytes: plan.size,
			maxUlp: spec.maxUlp ?? 0
		};
	});
}

export function goldenIndex(cases: GoldenCase[]): string {
	const entries = cases.map(
		({ name, description, ops, count, inputBytes, outputBytes, arenaBytes, blob, maxUlp }) => ({
			name,
			description,
			ops,
			count,
			inputBytes,
			outputBytes,
			blobBytes: blob.length,
			arenaBytes,
			maxUlp
		})
	);
	return (
		JSON.stringify(
			{ format: 'docs/model-format.md 1.0; .io layout in scripts/make-golden.ts', cases: entries },
			null,
			'\t'
		) + '\n'
	);
}

export const GOLDEN_DIR = join(
	dirname(fileURLToPath(import.meta.url)),
	'..',
	'tests',
	'fixtures',
	'golden'
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const cases = buildGoldenSet();
	mkdirSync(GOLDEN_DIR, { recursive: true });
	let total = 0;
	for (const c of cases) {
		writeFileSync(join(GOLDEN_DIR, `${c.name}.ttm`), c.blob);
		writeFileSync(join(GOLDEN_DIR, `${c.name}.io`), c.io);
		total += c.blob.length + c.io.length;
	}
	const index = goldenIndex(cases);
	writeFileSync(join(GOLDEN_DIR, 'index.json'), index);
	console.log(`${cases.length} golden cases, ${total + index.length} bytes in ${GOLDEN_DIR}`);
}
