// CSV and JSON exports of a run. Pure: no database (the comparison of two runs: compare-runs.test.ts).
import { describe, expect, it } from 'vitest';
import {
	runFromJson,
	runToCsv,
	runToJson,
	type RunPoint,
	type RunRecord
} from '../../../src/lib/storage';
import { scalarPointTensors } from '../../../src/lib/storage/point-tensors';
import { newRun } from './helpers';

const run: RunRecord = {
	...newRun({
		model: { name: 'sine, "tiny" v2', crc: 0x0badf00d, length: 2404 },
		board: { name: 'Nano 33\nBLE', firmware: '0.1.0', transport: 'web-serial' }
	}),
	id: 7,
	started: new Date('2025-05-06T07:08:09.010Z'),
	updated: new Date('2025-05-06T07:08:10.500Z'),
	finished: new Date('2025-05-06T07:08:10.500Z'),
	status: 'complete',
	error: null,
	pointCount: 2,
	tickHz: 16_000_000
};

const withTensors = (p: Omit<RunPoint, 'tensors'>): RunPoint => ({
	...p,
	tensors: scalarPointTensors(p)
});

const pts: RunPoint[] = (
	[
		{
			index: 0,
			x: 0.1,
			truth: Math.sin(0.1),
			deviceQ: -3,
			device: Math.fround(0.0998),
			expectedQ: -3,
			expected: Math.fround(0.0998),
			float: Math.fround(0.10001),
			ticks: 640
		},
		{
			index: 1,
			x: 1e-7,
			truth: null,
			deviceQ: 127,
			device: 1,
			expectedQ: 126,
			expected: 0.99,
			float: -0,
			ticks: 8
		}
	] satisfies Omit<RunPoint, 'tensors'>[]
).map(withTensors);

describe('runToCsv', () => {
	it('writes comment metadata, a header and full-precision rows with RFC 4180 quoting', () => {
		const lines = [
			'# format: tinytwin-run 1',
			'# run_id: 7',
			'# status: complete',
			'# demo: sine',
			'# model: "sine, ""tiny"" v2"',
			'# model_crc32: 0x0badf00d',
			'# model_bytes: 2404',
			'# board: Nano 33 BLE',
			'# firmware: 0.1.0',
			'# transport: web-serial',
			'# started: 2025-05-06T07:08:09.010Z',
			'# finished: 2025-05-06T07:08:10.500Z',
			'# inputs: sweep',
			'# input_count: 1000',
			'# input_min: 0',
			'# input_max: 6.283185307179586',
			'# tick_hz: 16000000',
			'# points: 2',
			'index,x,truth,device_q,device,expected_q,expected,float,ticks,micros',
			'0,0.1,0.09983341664682815,-3,0.0997999981045723,-3,0.0997999981045723,0.10001000016927719,640,40',
			'1,1e-7,,127,1,126,0.99,0,8,0.5'
		];
		expect(runToCsv(run, pts)).toBe(lines.map((l) => `${l}\r\n`).join(''));
	});

	it('reads back: every number parses to the same binary64', () => {
		const rows = runToCsv(run, pts)
			.split('\r\n')
			.filter((l) => l && !l.startsWith('#'))
			.slice(1)
			.map((l) => l.split(','));
		expect(Number(rows[0]![4])).toBe(pts[0]!.device);
		expect(Number(rows[0]![7])).toBe(pts[0]!.float);
		expect(Number(rows[0]![2])).toBe(pts[0]!.truth);
	});

	it('writes an error sentence and omits a missing finish', () => {
		const csv = runToCsv(
			{ ...run, status: 'failed', error: 'Lost the board, reconnect.', finished: null, demo: null },
			[]
		);
		expect(csv).toContain('# error: "Lost the board, reconnect."\r\n');
		expect(csv).not.toContain('# finished');
		expect(csv).not.toContain('# demo');
		expect(
			csv.endsWith('index,x,truth,device_q,device,expected_q,expected,float,ticks,micros\r\n')
		).toBe(true);
	});
});

describe('runToJson / runFromJson', () => {
	it('round-trips a run and its points, dates included', () => {
		const text = runToJson(run, pts);
		const back = runFromJson(text);
		expect(back.run).toEqual(run);
		expect(back.run.started).toBeInstanceOf(Date);
		// JSON has no −0: the float reference's −0 (field and tensor) comes back as 0.
		expect(back.points).toEqual(
			pts.map((p) =>
				p.float === 0
					? { ...p, float: 0, tensors: { ...p.tensors, float: [Float64Array.of(0)] } }
					: p
			)
		);
		expect(back.points[0]!.tensors.board[0]!.raw).toBeInstanceOf(Int8Array);
		expect(runFromJson(runToJson({ ...run, finished: null }, [])).run.finished).toBeNull();
	});

	it('reads a version 1 export (before tensors): its points get their tensors, its run its axes', () => {
		const { io: _io, ...v1Run } = run;
		const v1Points = pts.map(({ tensors: _t, ...p }) => p);
		const text = JSON.stringify({
			format: 'tinytwin-run',
			version: 1,
			run: v1Run,
			points: v1Points
		});
		const back = runFromJson(text);
		expect(back.run.io).toEqual({ kind: 'regression', xLabel: 'x', yLabel: 'sin x' });
		// Point 0: board raw −3, real 0.0998 (binary32): an int8 output, kept exactly.
		const t = back.points[0]!.tensors;
		expect(t.board[0]).toEqual({
			type: 'int8',
			shape: [1],
			raw: Int8Array.of(-3),
			real: Float64Array.of(Math.fround(0.0998)),
			quant: null
		});
		expect(t.inputs[0]!.real).toEqual(Float64Array.of(0.1));
		expect(t.truth).toEqual(Float64Array.of(Math.sin(0.1)));
		expect(back.points[1]!.tensors.expected[0]!.raw).toEqual(Int8Array.of(126));
	});

	it('rejects other files with a sentence', () => {
		expect(() => runFromJson('nope')).toThrow(
			/not a TinyTwin run export \(it is not valid JSON\)\. Choose/
		);
		expect(() => runFromJson('{"format":"other"}')).toThrow(/format tag/);
		const doc = JSON.parse(runToJson(run, pts));
		doc.points[1].deviceQ = 'x';
		expect(() => runFromJson(JSON.stringify(doc))).toThrow(/point 1 has no number "deviceQ"/);
		doc.points[1].deviceQ = 1;
		doc.run.started = 'yesterday';
		expect(() => runFromJson(JSON.stringify(doc))).toThrow(/"started" is not a date/);
		expect(() => runFromJson(JSON.stringify({ ...doc, version: 3 }))).toThrow(/unknown version 3/);
		doc.run.started = '2025-05-06T07:08:09.010Z';
		doc.points[0].tensors.board[0].raw = [1, 2];
		expect(() => runFromJson(JSON.stringify(doc))).toThrow(
			/point 0\.board\[0\]'s values do not match its shape/
		);
	});
});
