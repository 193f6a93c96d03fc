// Malformed `.tflite` bytes: truncation at every length, seeded byte flips, patched fields. Every
// outcome is a valid import or a TfliteImportError with a sentence — never another exception.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTflite, TfliteImportError, writeBlob } from '../../../src/lib/model';
import { mulberry32, randomInt } from '../../../src/lib/model/mlp/rng';
import { FlatBuffer } from '../../../src/lib/model/tflite/flatbuffer';

const load = (name: string) =>
	new Uint8Array(readFileSync(resolve('../shared/data/tflm', `${name}.tflite`)));
const FILES = { int8: load('hello_world_int8'), float: load('hello_world_float') };

/** 'ok' for a valid import (which must then write as a blob), else the error's reason. */
function outcome(bytes: Uint8Array): string {
	try {
		writeBlob(importTflite(bytes));
		return 'ok';
	} catch (e) {
		if (!(e instanceof TfliteImportError)) throw e;
		expect(e.message).toMatch(/^[A-Z].*\. .*\.$/s); // a sentence, then a next step
		return e.reason;
	}
}

/** Absolute position of field `field` of tensor `k` in subgraph 0 (throws when absent). */
function tensorField(bytes: Uint8Array, k: number, field: number, size: number): number {
	const sg = new FlatBuffer(bytes).root().tables(2, 'subgraphs')[0]!;
	const p = sg.tables(0, 'tensors')[k]!.field(field, size);
	if (p === null) throw new Error('field absent');
	return p;
}

describe.each(Object.entries(FILES))('malformed %s', (_, file) => {
	it('truncated at every length: always a TfliteImportError', () => {
		const lengths: number[] = [];
		for (let n = 0; n < Math.min(512, file.length); n++) lengths.push(n);
		for (let n = 512; n < file.length; n += 97) lengths.push(n);
		const reasons = new Set<string>();
		for (const n of lengths) reasons.add(outcome(file.slice(0, n)));
		expect(reasons.has('ok')).toBe(false);
		expect(reasons.has('truncated')).toBe(true);
	});

	it('flipped bytes (seeded): a valid import or a TfliteImportError', () => {
		const rng = mulberry32(0x7f13);
		const counts: Record<string, number> = {};
		for (let trial = 0; trial < 3000; trial++) {
			const bytes = file.slice();
			const flips = trial < 2000 ? 1 : randomInt(rng, 2, 8);
			for (let f = 0; f < flips; f++) {
				bytes[randomInt(rng, 0, bytes.length - 1)]! ^= randomInt(rng, 1, 255);
			}
			const r = outcome(bytes);
			counts[r] = (counts[r] ?? 0) + 1;
		}
		expect(counts['ok']).toBeGreaterThan(0);
		expect(Object.keys(counts).length).toBeGreaterThan(2);
	});

	it('every single byte set to 0xff: a valid import or a TfliteImportError', () => {
		for (let at = 0; at < file.length; at++) {
			const bytes = file.slice();
			bytes[at] = 0xff;
			outcome(bytes);
		}
	});
});

describe('patched hello_world_int8', () => {
	const file = FILES.int8;

	it('wrong identifier → not-a-flatbuffer', () => {
		const bytes = file.slice();
		bytes.set([0x54, 0x46, 0x4c, 0x32], 4); // "TFL2"
		expect(() => importTflite(bytes)).toThrow(/bytes 4–8 should read "TFL3"/);
		expect(outcome(bytes)).toBe('not-a-flatbuffer');
		expect(outcome(new TextEncoder().encode('{"not": "a flatbuffer"}'))).toBe('not-a-flatbuffer');
		expect(outcome(new Uint8Array(0))).toBe('not-a-flatbuffer');
	});

	it('schema version 2 → schema-version', () => {
		const bytes = file.slice();
		const p = new FlatBuffer(bytes).root().field(0, 4)!;
		new DataView(bytes.buffer).setUint32(p, 2, true);
		expect(outcome(bytes)).toBe('schema-version');
		expect(() => importTflite(bytes)).toThrow(
			'The model uses TensorFlow Lite schema version 2; TinyTwin reads version 3 only. Convert the model again with a current TensorFlow Lite converter.'
		);
	});

	it('a FLOAT16 tensor → the FLOAT16 sentence naming the tensor', () => {
		const bytes = file.slice();
		bytes[tensorField(bytes, 4, 1, 1)] = 1; // sequential/dense_1/MatMul: INT8 → FLOAT16
		expect(outcome(bytes)).toBe('tensor-type');
		expect(() => importTflite(bytes)).toThrow(
			'Tensor 4 ("sequential/dense_1/MatMul") has type FLOAT16, which TinyTwin does not run (it runs FLOAT32, INT8 and INT32 biases). Convert without float16 quantization (drop target_spec.supported_types = [tf.float16]): use float32 or full int8 quantization.'
		);
	});

	it('a UINT8 tensor → tensor-type naming UINT8', () => {
		const bytes = file.slice();
		bytes[tensorField(bytes, 0, 1, 1)] = 3;
		expect(() => importTflite(bytes)).toThrow(
			/Tensor 0 \("serving_default_dense_input:0"\) has type UINT8/
		);
	});

	it('an unsupported operator → names it (LSTM) and lists what runs', () => {
		const bytes = file.slice();
		const code = new FlatBuffer(bytes).root().tables(1, 'operator_codes')[0]!;
		bytes[code.field(0, 1)!] = 16; // LSTM (deprecated_builtin_code, then builtin_code)
		const p = code.field(3, 4);
		if (p !== null) new DataView(bytes.buffer).setInt32(p, 16, true);
		expect(outcome(bytes)).toBe('unsupported-op');
		expect(() => importTflite(bytes)).toThrow(
			/^The model uses LSTM \(operator 0\), which TinyTwin does not run; it runs .*FULLY_CONNECTED.*RESHAPE/
		);
	});

	it('a −1 beyond the batch dimension of shape_signature → dynamic-shape', () => {
		const bytes = file.slice();
		const sg = new FlatBuffer(bytes).root().tables(2, 'subgraphs')[0]!;
		const sig = sg.tables(0, 'tensors')[0]!.vector(7, 4, 'sig')!;
		expect(sig.count).toBe(2);
		new DataView(bytes.buffer).setInt32(sig.start + 4, -1, true);
		expect(outcome(bytes)).toBe('dynamic-shape');
		expect(() => importTflite(bytes)).toThrow(/has a dynamic shape \(dimension 1 is −1/);
	});
});
