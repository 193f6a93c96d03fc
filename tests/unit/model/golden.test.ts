// The committed golden vectors (tests/fixtures/golden) must equal what scripts/make-golden.ts
// builds now: a change to the writer, the quantizer or a kernel shows up here as drift.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGoldenSet, GOLDEN_DIR, goldenIndex } from '../../../scripts/make-golden';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';

const cases = buildGoldenSet();

describe('golden vectors', () => {
	it('cover every op of format 1.0 and stay small', () => {
		const ops = new Set(cases.flatMap((c) => c.ops));
		expect([...ops].sort()).toEqual([
			'ADD',
			'DEQUANTIZE',
			'FULLY_CONNECTED',
			'QUANTIZE',
			'RELU',
			'RELU6',
			'SOFTMAX'
		]);
		const total = readdirSync(GOLDEN_DIR).reduce(
			(s, f) => s + readFileSync(join(GOLDEN_DIR, f)).length,
			0
		);
		expect(total).toBeLessThan(200_000);
	});

	it('match the committed index', () => {
		expect(readFileSync(join(GOLDEN_DIR, 'index.json'), 'utf8')).toBe(goldenIndex(cases));
		const files = readdirSync(GOLDEN_DIR)
			.filter((f) => f !== 'index.json')
			.sort();
		expect(files).toEqual(cases.flatMap((c) => [`${c.name}.io`, `${c.name}.ttm`]).sort());
	});

	it.each(cases.map((c) => [c.name, c] as const))('%s matches byte for byte', (name, c) => {
		const blob = new Uint8Array(readFileSync(join(GOLDEN_DIR, `${name}.ttm`)));
		const io = new Uint8Array(readFileSync(join(GOLDEN_DIR, `${name}.io`)));
		expect(Buffer.from(blob).equals(Buffer.from(c.blob))).toBe(true);
		expect(Buffer.from(io).equals(Buffer.from(c.io))).toBe(true);
		// The .io header agrees with the blob, and the committed blob reproduces the outputs.
		const v = new DataView(io.buffer, io.byteOffset);
		expect(String.fromCharCode(...io.subarray(0, 4))).toBe('TTIO');
		const [count, inBytes, outBytes] = [
			v.getUint32(4, true),
			v.getUint32(8, true),
			v.getUint32(12, true)
		];
		const model = readBlob(blob);
		expect([inBytes, outBytes]).toEqual([model.inputBytes, model.outputBytes]);
		expect(io.length).toBe(16 + count * (inBytes + outBytes));
		const inputs = io.subarray(16, 16 + count * inBytes);
		expect(
			Buffer.from(createExecutor(model).run(inputs, count)).equals(
				Buffer.from(io.subarray(16 + count * inBytes))
			)
		).toBe(true);
	});
});
