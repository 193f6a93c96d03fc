// docs: the firmware core bare-metal on an emulated Cortex-M4 (QEMU mps2-an386, CMSDK UART as the
// serial line, firmware/targets/qemu-m4): handshake, the sine and MPG demos byte for byte against the
// TypeScript int8 reference, every golden vector, and a short fault run with zero corrupt commits.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32, DeviceError, TinyTwinError } from '../../src/lib/protocol';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { QemuM4Board, requireQemuM4, RUN_BOARD } from './qemu-m4-board';
import { runMatrix } from './upload-matrix';

const GOLDEN = resolve('tests/fixtures/golden');
const boards: QemuM4Board[] = [];
const int8Bytes = (qs: readonly number[]) => Uint8Array.from(qs, (q) => q & 0xff);
const int8s = (b: Uint8Array) => Array.from(new Int8Array(b.buffer, b.byteOffset, b.length));

async function open(args: string[] = []) {
	const board = new QemuM4Board(args);
	boards.push(board);
	return { board, s: await board.start() };
}

afterEach(async () => {
	for (const b of boards.splice(0)) await b.stop();
});

describe('Cortex-M4 board (QEMU mps2-an386)', () => {
	beforeAll(requireQemuM4, 120_000);

	it('shakes hands as a 25 MHz board with the nano33ble sizes and exits when stdin ends', async () => {
		const { board, s } = await open();
		expect(s.hello).toMatchObject({
			protocol: 1,
			board: 'qemu-m4 (mps2-an386)',
			cpuHz: 25_000_000,
			tickHz: 25_000_000,
			maxPayload: 1024,
			window: 4,
			storage: { ram: true, flash: false },
			poolBytes: 196_608,
			model: null,
			pending: null
		});
		expect((await s.status()).uptimeMs).toBeGreaterThanOrEqual(0);
		await board.stop();
		// stdin ends → the board answers what it got, then QEMU exits 0 (garbage gets a bad-frame
		// answer first; nothing but frames ever appears on stdout).
		const r = spawnSync(RUN_BOARD, [], { input: Buffer.from([1, 2, 3, 0]), timeout: 20_000 });
		expect(r.status).toBe(0);
		expect(r.stdout.length).toBeGreaterThan(0);
		expect(r.stdout.at(-1)).toBe(0);
	}, 60_000);

	it('runs the sine demo: all 256 int8 inputs equal the TS reference byte for byte', async () => {
		const sine = sineModel();
		const { s } = await open();
		const r = await s.upload(sine.blob);
		expect(r).toMatchObject({ blobLen: sine.blob.length, blobCrc: crc32(sine.blob), slot: 0 });
		const qs = Array.from({ length: 256 }, (_, i) => i - 128);
		const out = await s.infer(int8Bytes(qs), { count: 256, inputBytes: 1, outputBytes: 1 });
		expect(int8s(out.outputs)).toEqual(sine.runInt8(qs));
		expect(out.ticks).toHaveLength(256);
	}, 60_000);

	it('runs the MPG demo on its test cars like the TS int8 reference', async () => {
		const mpg = mpgModel();
		const { s } = await open();
		await s.upload(mpg.blob);
		const qs = mpgSplit().test.map((r) => mpg.quantizeInput(r.horsepower));
		const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
		expect(int8s(out.outputs)).toEqual(mpg.runInt8(qs));
	}, 60_000);

	const index = JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')) as {
		cases: { name: string; maxUlp: number }[];
	};

	it('matches every golden vector', async () => {
		expect(index.cases.length).toBeGreaterThan(20);
		const { s } = await open();
		for (const c of index.cases) {
			const blob = new Uint8Array(readFileSync(join(GOLDEN, `${c.name}.ttm`)));
			const io = new Uint8Array(readFileSync(join(GOLDEN, `${c.name}.io`)));
			const v = new DataView(io.buffer, io.byteOffset, io.length);
			const [count, inputBytes, outputBytes] = [4, 8, 12].map((o) => v.getUint32(o, true)) as [
				number,
				number,
				number
			];
			const inputs = io.subarray(16, 16 + count * inputBytes);
			const want = io.subarray(16 + count * inputBytes);
			await s.upload(blob);
			const got = (await s.infer(inputs, { count, inputBytes, outputBytes })).outputs;
			if (c.maxUlp === 0) {
				expect(Buffer.from(got).equals(Buffer.from(want)), c.name).toBe(true);
			} else {
				expect(maxUlpDistance(got, want), c.name).toBeLessThanOrEqual(c.maxUlp);
			}
		}
	}, 180_000);

	it('survives bit flips and dropped frames: zero corrupt commits, the model always answers', async () => {
		const sine = sineModel();
		const mpg = mpgModel();
		const { board, s } = await open();
		await s.upload(sine.blob);
		let running = sine;
		let committed = 0;
		let failedClearly = 0;
		const probe = [-128, -1, 0, 1, 127];
		const plans = [
			{ toBoard: { byteErrorRate: 1e-3 }, toHost: { byteErrorRate: 1e-3 } },
			{ toBoard: { dropFrameRate: 0.05 }, toHost: { dropFrameRate: 0.05 } },
			{ toBoard: { byteErrorRate: 2e-3, dropFrameRate: 0.03 }, toHost: { dropFrameRate: 0.03 } }
		];
		for (let i = 0; i < 6; i++) {
			const next = i % 2 === 0 ? mpg : sine;
			board.faulty.setFaults(plans[i % plans.length]!);
			try {
				const r = await s.upload(next.blob);
				expect(r.blobCrc).toBe(crc32(next.blob));
				running = next;
				committed++;
			} catch (e) {
				expect(e).toBeInstanceOf(TinyTwinError);
				if (e instanceof DeviceError) expect(e.codeName).not.toBe('');
				failedClearly++;
			}
			board.faulty.setFaults({ toBoard: {}, toHost: {} });
			const st = await s.status();
			// Whatever the board runs is exactly one of the blobs sent, the last committed one.
			expect(st.model?.blobCrc).toBe(crc32(running.blob));
			const out = await s.infer(int8Bytes(probe), {
				count: probe.length,
				inputBytes: 1,
				outputBytes: 1
			});
			expect(int8s(out.outputs)).toEqual(running.runInt8(probe));
		}
		expect(committed + failedClearly).toBe(6);
		expect(committed).toBeGreaterThan(2);
	}, 300_000);

	it('passes the upload fault matrix: zero corrupt commits, the previous model always answers', async () => {
		// The same matrix as the host board's (tests/conformance/upload-fault-matrix.test.ts), RAM only:
		// bit flips, drops, duplicates, every split, aborts, invalid and oversize models.
		const uploads = Math.max(10, Math.round(120 * Number(process.env.TT_MATRIX_SCALE ?? 1)));
		const cfg = {
			profile: 'qemu-m4',
			flash: false,
			seed: 55,
			uploads,
			widths: [4, 12, 24, 40],
			poolBytes: 192 * 1024
		};
		const lines: string[] = [];
		const r = await runMatrix(cfg, (l) => lines.push(l), new QemuM4Board());
		console.log(
			`[qemu-m4 matrix] ${JSON.stringify({ ...r, unclearErrors: r.unclearErrors.slice(0, 5) })}`
		);
		if (lines.length > 0) console.log(lines.slice(0, 20).join('\n'));
		expect(r.uploads).toBe(uploads);
		expect(r.corruptCommits).toBe(0);
		expect(r.previousModelLost).toBe(0);
		expect(r.unclearErrors).toEqual([]);
		expect(r.committed + r.failedClearly).toBe(r.uploads);
		expect(r.committed).toBeGreaterThan(r.uploads * 0.6);
	}, 600_000);

	it('counts instructions per inference under -icount (figures in test-results/qemu-m4-cost.json)', async () => {
		// -icount shift=0: one instruction per ns of virtual time; the 25 MHz tick is 40 instructions.
		// INFER_OK's ticks cover model_invoke (and the two tick reads around it); averaged over many
		// inferences the 40-instruction quantization averages out.
		const { s } = await open(['--icount']);
		const sine = sineModel();
		const mpg = mpgModel();
		const perInference = async (blob: Uint8Array, qs: number[]) => {
			await s.upload(blob);
			const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
			return (out.ticks.reduce((a, b) => a + b, 0) / out.ticks.length) * 40;
		};
		const sineInsns = await perInference(
			sine.blob,
			Array.from({ length: 256 }, (_, i) => i - 128)
		);
		const mpgInsns = await perInference(
			mpg.blob,
			mpgSplit().test.map((r) => mpg.quantizeInput(r.horsepower))
		);
		const report = { method: '-icount shift=0, INFER_OK ticks × 40', sineInsns, mpgInsns };
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/qemu-m4-cost.json', JSON.stringify(report, null, 2));
		console.log(`[qemu-m4 cost] ${JSON.stringify(report)}`);
		expect(sineInsns).toBeGreaterThan(100);
		expect(mpgInsns).toBeGreaterThan(100);
	}, 120_000);
});

/** Largest distance in units in the last place between two float32 arrays (same length). */
function maxUlpDistance(a: Uint8Array, b: Uint8Array): number {
	expect(a.length).toBe(b.length);
	const x = new Int32Array(a.slice().buffer);
	const y = new Int32Array(b.slice().buffer);
	const ordered = (i: number) => (i < 0 ? -0x80000000 - i : i); // sign-magnitude → ordered
	let worst = 0;
	for (let i = 0; i < x.length; i++) {
		worst = Math.max(worst, Math.abs(ordered(x[i]!) - ordered(y[i]!)));
	}
	return worst;
}
