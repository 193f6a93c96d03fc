// The oracle fixture loader (tests/shared/oracle-fixtures.ts) against the committed fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	loadOracleFixture,
	loadOracleFixtures,
	readOracleModel,
	tensorBytes
} from '../shared/oracle-fixtures';

/** Shapes of subgraph 0's inputs or outputs, read straight from the flatbuffer (TFLite schema:
 * Model.subgraphs is field 2; SubGraph.tensors 0, inputs 1, outputs 2; Tensor.shape 0). */
function declaredShapes(bytes: Uint8Array, which: 'inputs' | 'outputs'): number[][] {
	const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const u32 = (o: number) => v.getUint32(o, true);
	const field = (table: number, id: number): number | undefined => {
		const vt = table - v.getInt32(table, true);
		const off = 4 + 2 * id < v.getUint16(vt, true) ? v.getUint16(vt + 4 + 2 * id, true) : 0;
		return off ? table + off : undefined;
	};
	const deref = (at: number) => at + u32(at);
	const vector = (at: number) => {
		const start = deref(at);
		return Array.from({ length: u32(start) }, (_, i) => start + 4 + 4 * i);
	};
	const subgraph = deref(vector(field(u32(0), 2)!)[0]!);
	const tensors = vector(field(subgraph, 0)!).map(deref);
	return vector(field(subgraph, which === 'inputs' ? 1 : 2)!).map((at) => {
		const shape = field(tensors[v.getInt32(at, true)]!, 0);
		return shape === undefined ? [] : vector(shape).map((p) => v.getInt32(p, true));
	});
}

describe('oracle fixtures', () => {
	it("hello_world: TFLM's own model with its test's four inputs", () => {
		const f = loadOracleFixture('hello_world');
		expect(f.oracle).toBe('tflm');
		expect(f.tflitePath.replace(/\\/g, '/')).toMatch(
			/\/shared\/data\/tflm\/hello_world_int8\.tflite$/
		);
		const bytes = readOracleModel(f);
		expect(f.examples.map((e) => Array.from(e.inputs[0]!.values))).toEqual([
			[-96],
			[-63],
			[-34],
			[0]
		]);
		const outShapes = declaredShapes(bytes, 'outputs');
		for (const e of f.examples) {
			expect(e.inputs[0]!.values).toBeInstanceOf(Int8Array);
			expect(e.outputs).toHaveLength(1);
			expect(e.outputs[0]!.values).toBeInstanceOf(Int8Array);
			expect(e.outputs[0]!.shape).toEqual(outShapes[0]);
		}
	});

	it('every fixture loads, matches its .tflite and its declared I/O tensors', () => {
		const all = loadOracleFixtures();
		expect(all.length).toBeGreaterThan(40);
		for (const f of all) {
			const bytes = readOracleModel(f);
			expect(declaredShapes(bytes, 'inputs'), f.name).toEqual(f.inputTensors.map((t) => t.shape));
			expect(declaredShapes(bytes, 'outputs'), f.name).toEqual(f.outputTensors.map((t) => t.shape));
			expect(f.examples.length, f.name).toBeGreaterThan(0);
			for (const e of f.examples) {
				expect(e.inputs.map((t) => [t.dtype, t.shape])).toEqual(
					f.inputTensors.map((t) => [t.dtype, t.shape])
				);
				expect(e.outputs.map((t) => [t.dtype, t.shape])).toEqual(
					f.outputTensors.map((t) => [t.dtype, t.shape])
				);
			}
		}
	});

	it('float32 values survive JSON exactly (raw bytes, little-endian)', () => {
		const f = loadOracleFixture('float_io');
		const raw = JSON.parse(
			readFileSync(new URL('../fixtures/oracle/float_io.json', import.meta.url), 'utf8')
		) as { inputs: { values: number[] }[][] };
		const t = f.examples[0]!.inputs[0]!;
		expect(t.values).toBeInstanceOf(Float32Array);
		expect(Array.from(t.values)).toEqual(raw.inputs[0]![0]!.values);
		expect(tensorBytes(t).length).toBe(4 * t.values.length);
	});
});
