// tinytwin run MODEL --input-file F.json [--raw] as a user runs it: real process, real host board.
// Expected values are independent of the code under test: hand-derived sums for a two-input ADD,
// and TFLM's own outputs (the oracle fixtures) for converter-made models.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinytwin } from './tinytwin';
import { writeBlob } from '../../src/lib/model/format/blob-writer';
import type { Model } from '../../src/lib/model/ir/ir';
import { requireHostBoard } from '../conformance/host-board';
import { loadOracleFixture } from '../shared/oracle-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'tt-cli-run-'));

function file(name: string, content: Uint8Array | string): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

interface RunJson {
	count: number;
	bitExact: boolean;
	matches: number;
	inputs: { name: string; type: string; shape: number[] }[];
	results: {
		outputs: {
			raw: number[];
			real: number[];
			expected: { raw: number[]; real: number[] };
			equal: boolean;
			float?: number[];
		}[];
	}[];
}

/** y = a + b, int8, every tensor scale 0.5 and zero point 0: real sums of halves are exact. */
function addModel(): Model {
	const q = { scales: [0.5], zeroPoints: [0], axis: 0 };
	return {
		name: 'add2',
		tensors: [
			{ name: 'a', type: 'int8', shape: [1, 4], quant: q },
			{ name: 'b', type: 'int8', shape: [1, 4], quant: q },
			{ name: 'y', type: 'int8', shape: [1, 4], quant: q }
		],
		ops: [{ kind: 'ADD', inputs: [0, 1], outputs: [2], activation: 'none' }],
		inputs: [0, 1],
		outputs: [2]
	};
}

/** Runs an oracle fixture's examples with --raw and compares every output with TFLM's values. */
async function expectOracleFixture(name: string): Promise<void> {
	const f = loadOracleFixture(name);
	const examples = f.examples.map((e) => e.inputs.map((t) => Array.from(t.values)));
	const path = file(`${name}.json`, JSON.stringify(examples));
	const r = await tinytwin(
		'run',
		f.tflitePath,
		'--input-file',
		path,
		'--raw',
		'--board',
		'host',
		'--json'
	);
	expect(r.code, r.stderr).toBe(0);
	const out = JSON.parse(r.stdout) as RunJson;
	expect(out.count).toBe(f.examples.length);
	expect(out.bitExact).toBe(true);
	f.examples.forEach((e, k) => {
		e.outputs.forEach((t, j) => {
			const got = out.results[k]!.outputs[j]!;
			expect(got.raw, `${name} example ${k} output ${j}`).toEqual(Array.from(t.values));
			expect(got.equal).toBe(true);
		});
	});
}

describe('tinytwin run --input-file', () => {
	beforeAll(requireHostBoard);

	it('runs a two-input ADD blob: real inputs quantized, real and raw outputs, board = expectation', async () => {
		const model = file('add2.ttm', writeBlob(addModel()));
		// Real values are multiples of 0.5 (stored value = 2x); 60 + 10 = 70 saturates at 127 × 0.5.
		const examples = [
			[
				[1, -1.5, 0, 2.5],
				[1.5, -2, 0.5, -2.5]
			],
			[
				[60, -60, 0.25, -0.25],
				[10, -10, 0, 0]
			]
		];
		const r = await tinytwin(
			'run',
			model,
			'--input-file',
			file('add2.json', JSON.stringify(examples)),
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as RunJson;
		expect(out.inputs.map((t) => t.name)).toEqual(['input 1', 'input 2']);
		expect(out.bitExact).toBe(true);
		expect(out.matches).toBe(2);
		const [first, second] = out.results.map((x) => x.outputs[0]!);
		expect(first!.real).toEqual([2.5, -3.5, 0.5, 0]);
		expect(first!.raw).toEqual([5, -7, 1, 0]);
		// 0.25 / 0.5 = 0.5 rounds half away to 1 (0.5 real), −0.25 to −1; 70 and −70 saturate.
		expect(second!.raw).toEqual([127, -128, 1, -1]);
		expect(second!.real).toEqual([63.5, -64, 0.5, -0.5]);
		for (const o of [first!, second!]) expect(o.expected.raw).toEqual(o.raw);
	});

	it('--raw feeds stored int8 values as they are', async () => {
		const model = file('add2r.ttm', writeBlob(addModel()));
		const path = file('add2r.json', '[[[2, -3, 127, -128], [3, -4, 1, -1]]]');
		const r = await tinytwin(
			'run',
			model,
			'--input-file',
			path,
			'--raw',
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const o = (JSON.parse(r.stdout) as RunJson).results[0]!.outputs[0]!;
		expect(o.raw).toEqual([5, -7, 127, -128]);
		expect(o.real).toEqual([2.5, -3.5, 63.5, -64]);
	});

	it('runs the float-I/O converter model (QUANTIZE → … → DEQUANTIZE) like TFLM, float values as given', async () => {
		await expectOracleFixture('float_io');
		// One real in, one real out: every int8 level of its QUANTIZE, and values beyond its range.
		await expectOracleFixture('sine_float_io');
		// The user report: a real-valued run of such a model failed in its float reference.
		const r = await tinytwin(
			'run',
			loadOracleFixture('float_io').tflitePath,
			'--inputs',
			'0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8',
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout) as RunJson;
		expect(out.bitExact).toBe(true);
		expect(out.results[0]!.outputs[0]!.float).toHaveLength(3);
	});

	it('runs the embedding lookups (int32 token ids, as given) like TFLM', async () => {
		await expectOracleFixture('gather_int8');
		await expectOracleFixture('embedding_keras_int8');
	});

	it('runs the two-input converter model like TFLM', async () => {
		await expectOracleFixture('two_input');
	});

	it('names what is wrong with an input file, and what to do (exit 1)', async () => {
		const model = file('add2e.ttm', writeBlob(addModel()));
		const cases: [string, RegExp][] = [
			['not json', /is not valid JSON .*JSON array of examples/],
			['{"a": 1}', /does not hold a JSON array/],
			['[]', /holds no examples/],
			[
				'[[[1, 2, 3, 4]]]',
				/Example 1 of .* has 1 input array, but the model takes 2 inputs \("input 1" int8 \[1, 4\], "input 2" int8 \[1, 4\]\)/
			],
			[
				'[[[1, 2, 3, 4], [1, 2, 3]]]',
				/Example 1 of .*, input 2 \("input 2"\) has 3 values, but the tensor \[1, 4\] holds 4\./
			],
			['[[[1, 2, 3, 4], [1, 2, "3", 4]]]', /input 2 \("input 2"\), value 3 is "3", not a number/],
			['[[[1, 2, 3, 4], [1, 2, null, 4]]]', /value 3 is null, not a number/],
			['[[1, 2]]', /Example 1 of .* is \[1,2\], not an array of 2 inputs/]
		];
		for (const [content, message] of cases) {
			const r = await tinytwin(
				'run',
				model,
				'--input-file',
				file('bad.json', content),
				'--board',
				'host'
			);
			expect(r.code, content).toBe(1);
			expect(r.stderr, content).toMatch(message);
		}
		const raw = await tinytwin(
			'run',
			model,
			'--input-file',
			file('bad-raw.json', '[[[1, 2, 3, 4], [1, 200, 3, 4]]]'),
			'--raw',
			'--board',
			'host'
		);
		expect(raw.code).toBe(1);
		expect(raw.stderr).toMatch(
			/value 2 is 200: outside int8's range -128 … 127, and --raw values are the tensor's stored int8 values\. .*leave out --raw/
		);
		const half = await tinytwin(
			'run',
			model,
			'--input-file',
			file('bad-half.json', '[[[1, 2, 3, 4], [1, 2.5, 3, 4]]]'),
			'--raw',
			'--board',
			'host'
		);
		expect(half.stderr).toMatch(/value 2 is 2\.5: not a whole number/);
		const missing = await tinytwin(
			'run',
			model,
			'--input-file',
			join(dir, 'nope.json'),
			'--board',
			'host'
		);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/There is no input file/);
		const both = await tinytwin('run', model, '--board', 'host');
		expect(both.code).toBe(2);
		expect(both.stderr).toMatch(/--input-file inputs\.json/);
		const multi = await tinytwin('run', model, '--inputs', '1,2,3,4', '--board', 'host');
		expect(multi.code).toBe(2);
		expect(multi.stderr).toMatch(/has 2 inputs; give them with --input-file/);
	});
});
