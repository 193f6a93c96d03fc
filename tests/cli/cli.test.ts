// The tinytwin CLI as a user runs it: real process, real host board, exit codes and messages.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinytwin } from './tinytwin';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { syntheticBlobNear } from '../../cli/synthetic-model';
import { requireHostBoard } from '../conformance/host-board';

const TFLITE_INT8 = '../shared/data/tflm/hello_world_int8.tflite';
const TFLITE_FLOAT = '../shared/data/tflm/hello_world_float.tflite';
const dir = mkdtempSync(join(tmpdir(), 'tt-cli-'));

function file(name: string, bytes: Uint8Array): string {
	const path = join(dir, name);
	writeFileSync(path, bytes);
	return path;
}

describe('tinytwin CLI', () => {
	beforeAll(requireHostBoard);

	it('runs the sine model on the host board and the board matches the int8 reference on every point', async () => {
		const r = await tinytwin('run', 'sine', '--points', '200', '--board', 'host', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.points).toHaveLength(200);
		expect(out.summary.matches).toBe(200);
		expect(out.summary.maxDiffLsb).toBe(0);
		// The int8 model approximates sin x on [0, 2π] (hello_world is judged at 0.05 per point).
		expect(out.summary.maeDeviceVsTruth).toBeLessThan(0.05);
		for (const p of out.points) expect(p.deviceQ).toBe(p.expectedQ);
	});

	it('prints a readable comparison table without --json', async () => {
		const r = await tinytwin('run', 'mpg', '--board', 'host', '--profile', 'nano33ble');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/board = int8 reference on (\d+)\/\1 points/);
		expect(r.stdout).toMatch(/error vs MPG: board MAE \d+\.\d+/);
	});

	it('info reports the handshake', async () => {
		const r = await tinytwin('info', '--board', 'host', '--profile', 'mega2560', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.hello.board).toBe('mega2560');
		expect(out.hello.poolBytes).toBe(4096);
		expect(out.hello.ops).toContain(9);
	});

	it('uploads a blob file and the board verifies its CRC', async () => {
		const path = file('sine.ttm', sineModel().blob);
		const r = await tinytwin('upload', path, '--board', 'host', '--json');
		expect(r.code).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.blobLen).toBe(sineModel().blob.length);
	});

	it('rejects a missing file, a wrong file, a truncated blob and a truncated .tflite with a sentence and exit 1', async () => {
		const blob = sineModel().blob;
		const cases: [string, RegExp][] = [
			[join(dir, 'nope.ttm'), /There is no file/],
			[
				file(
					'random.bin',
					Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff)
				),
				/not a valid model: .*TTMB/
			],
			[file('truncated.ttm', blob.subarray(0, blob.length - 7)), /not a valid model/],
			[file('truncated.tflite', readFileSync(TFLITE_INT8).subarray(0, 900)), /cannot be imported/]
		];
		for (const [path, message] of cases) {
			const r = await tinytwin('upload', path, '--board', 'host');
			expect(r.code, path).toBe(1);
			expect(r.stderr, path).toMatch(message);
			expect(r.stderr.trim(), path).toMatch(/\.$/);
		}
	});

	it('refuses a model too large for the board profile before sending anything', async () => {
		const path = file('big.ttm', syntheticBlobNear(6000, 3));
		const r = await tinytwin('upload', path, '--board', 'host', '--profile', 'mega2560');
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(
			/does not fit this board, so nothing was sent\. The model needs .* too large\./
		);
	});

	it("runs TFLM hello_world_int8.tflite on the board: TFLM's own check, bit-exact with the expectation", async () => {
		const xs = [0.77, 1.57, 2.3, 3.14];
		const r = await tinytwin(
			'run',
			TFLITE_INT8,
			'--inputs',
			xs.join(','),
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.bitExact).toBe(true);
		xs.forEach((x, i) => expect(Math.abs(Math.sin(x) - out.device[i])).toBeLessThanOrEqual(0.05));
		xs.forEach((x, i) => expect(Math.abs(Math.sin(x) - out.float[i])).toBeLessThanOrEqual(0.05));
	});

	it('runs hello_world_float.tflite (TFLM: x = 0, 1, 3, 5 within 0.05)', async () => {
		const xs = [0, 1, 3, 5];
		const r = await tinytwin(
			'run',
			TFLITE_FLOAT,
			'--inputs',
			xs.join(','),
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		xs.forEach((x, i) => expect(Math.abs(Math.sin(x) - out.device[i])).toBeLessThanOrEqual(0.05));
	});

	it('bad usage exits 2 with a hint', async () => {
		for (const args of [
			['frobnicate'],
			['run'],
			['run', 'cosine'],
			['info', '--bogus'],
			['run', 'sine', '--points', 'many']
		]) {
			const r = await tinytwin(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr, args.join(' ')).toMatch(/tinytwin: .+/);
		}
	});
});
