// The scalar-model view the app's live compare uses, on a converter model with float input and
// output (tests/fixtures/oracle/sine_float_io: QUANTIZE → FULLY_CONNECTED ×3 → DEQUANTIZE). Expected
// values come from the fixture — TFLM's outputs and the QUANTIZE quantization the oracle scripts
// read from the .tflite — never from the code under test.
import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import { importTflite } from '../../../src/lib/model/tflite';
import { scalarIo, sweepRange } from '../../../src/lib/state/scalar-model';
import { loadOracleFixture, readOracleModel } from '../../shared/oracle-fixtures';

const fixture = loadOracleFixture('sine_float_io');
const levels = fixture.inputLevels!;
const blob = writeBlob(importTflite(readOracleModel(fixture), { name: fixture.name }));
const io = scalarIo(readBlob(blob))!;
const oracleOut = (k: number) => fixture.examples[k]!.outputs[0]!.values[0]!;

describe('scalarIo on a float-I/O converter model', () => {
	it('is float32 in and out, with the range quantization of the QUANTIZE after the input', () => {
		expect(levels).toBeDefined();
		expect(io.inputType).toBe('float32');
		expect(io.outputType).toBe('float32');
		expect(io.inputBytes).toBe(4);
		expect(io.outputBytes).toBe(4);
		expect(io.inputQuant).toBeNull();
		expect(io.outputQuant).toBeNull();
		expect(io.rangeQuant).toEqual({ scale: levels.scale, zeroPoint: levels.zeroPoint });
	});

	it('sweeps the int8 range the QUANTIZE maps to, dequantized, not [−1, 1]', () => {
		const r = sweepRange(io);
		expect(r.min).toBe(levels.scale * (-128 - levels.zeroPoint));
		expect(r.max).toBe(levels.scale * (127 - levels.zeroPoint));
	});

	it('passes floats through: encode is float32 rounding, outputs are not dequantized', () => {
		expect(io.encode(0.1)).toBe(Math.fround(0.1));
		expect(Array.from(io.encodeInputs([1.5]))).toEqual(
			Array.from(new Uint8Array(Float32Array.of(1.5).buffer))
		);
		expect(io.dequantize(0.3054664731025696)).toBe(0.3054664731025696);
		expect(io.decodeOutputs(new Uint8Array(Float32Array.of(-0.25, 2).buffer))).toEqual([-0.25, 2]);
	});

	it('the expectation equals TFLM on every fixture example, including inputs beyond the range', () => {
		const xs = fixture.examples.map((e) => e.inputs[0]!.values[0]!);
		const got = io.decodeOutputs(createExecutor(blob).run(io.encodeInputs(xs), xs.length));
		expect(got).toEqual(fixture.examples.map((_, k) => oracleOut(k)));
	});

	it('a 256-point sweep of the default range meets every int8 level once, in order, as TFLM does', () => {
		const r = sweepRange(io);
		// The sweep the app runs (ModelCompare: min + (max − min)·i / (n − 1), bounds to 6 digits).
		const min = Number(r.min.toPrecision(6));
		const max = Number(r.max.toPrecision(6));
		const xs = Array.from({ length: 256 }, (_, i) => min + ((max - min) * i) / 255);
		const got = io.decodeOutputs(createExecutor(blob).run(io.encodeInputs(xs), xs.length));
		expect(got).toEqual(xs.map((_, i) => oracleOut(levels.firstExample + i)));
	});
});
