// docs: the real Arduino sketch (firmware/examples/TinyTwin, Debian's Arduino AVR core, arduino-mk)
// on a simulated ATmega2560 (simavr, firmware/targets/avr): handshake, the sine and MPG demos byte
// for byte against the TypeScript int8 reference, every golden vector, the upload fault matrix with
// zero corrupt commits, and cycles per inference (docs/targets/avr-simavr.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32, DeviceError, TinyTwinError } from '../../src/lib/protocol';
import type { Session } from '../../src/lib/protocol';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { AvrBoard, requireAvr, RUN_BOARD, RUN_ELF } from './avr-board';
import { runMatrix } from './upload-matrix';

const GOLDEN = resolve('tests/fixtures/golden');
const POOL_BYTES = 4096;
const boards: AvrBoard[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'tt-avr-'));
const int8Bytes = (qs: readonly number[]) => Uint8Array.from(qs, (q) => q & 0xff);
const int8s = (b: Uint8Array) => Array.from(new Int8Array(b.buffer, b.byteOffset, b.length));

async function open(args: string[] = []) {
	const board = new AvrBoard(args);
	boards.push(board);
	return { board, s: await board.start() };
}

afterEach(async () => {
	for (const b of boards.splice(0)) {
		await b.stop();
		// The chip's USART holds two unread bytes; the harness reports any byte a real one would lose.
		expect(b.log).not.toMatch(/data overrun/);
	}
});

/** A clean line must not lose a byte: the sketch's RX ring keeps up (no bad frame, no resend). */
async function expectCleanLine(s: Session) {
	const st = await s.status();
	expect(st.badFrames, 'frames the board could not decode').toBe(0);
}
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Arduino Mega 2560: the real sketch on simavr (ATmega2560, 16 MHz, 115 200 baud)', () => {
	beforeAll(requireAvr, 300_000);

	it('shakes hands as mega2560 with its profile and exits when stdin ends', async () => {
		const { board, s } = await open();
		expect(s.hello).toMatchObject({
			protocol: 1,
			board: 'mega2560',
			cpuHz: 16_000_000,
			tickHz: 1_000_000,
			maxPayload: 128,
			window: 2,
			storage: { ram: true, flash: false },
			poolBytes: POOL_BYTES,
			model: null,
			pending: null
		});
		expect((await s.status()).uptimeMs).toBeGreaterThanOrEqual(0);
		await board.stop();
		// stdin ends → the board answers what it got (garbage gets a bad-frame answer), then the
		// harness exits 0; nothing but frames ever appears on stdout.
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
		expect(r.retransmittedBytes).toBe(0);
		await expectCleanLine(s);
	}, 120_000);

	it('runs the MPG demo on its test cars like the TS int8 reference (it fits the 4 KiB pool)', async () => {
		const mpg = mpgModel();
		const { s } = await open();
		const r = await s.upload(mpg.blob);
		expect(r.blobLen + r.arenaBytes).toBeLessThanOrEqual(POOL_BYTES);
		const qs = mpgSplit().test.map((c) => mpg.quantizeInput(c.horsepower));
		const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
		expect(int8s(out.outputs)).toEqual(mpg.runInt8(qs));
		expect(r.retransmittedBytes).toBe(0);
		await expectCleanLine(s);
	}, 120_000);

	const index = JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')) as {
		cases: { name: string; maxUlp: number; blobBytes: number; arenaBytes: number }[];
	};

	it('matches every golden vector (all fit the 4 KiB pool)', async () => {
		expect(index.cases.length).toBeGreaterThan(20);
		const { s } = await open();
		for (const c of index.cases) {
			// Every golden model is far below the pool; were one too big, COMMIT would refuse it cleanly.
			expect(c.blobBytes + c.arenaBytes, c.name).toBeLessThan(POOL_BYTES);
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
		await expectCleanLine(s);
	}, 300_000);

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
		// The host board's matrix (tests/conformance/upload-fault-matrix.test.ts), RAM only. The pool
		// holds the running model and the one being uploaded, so the models are 1→w→w→1 with w ≤ 16
		// (blobs of 0.9 to 1.8 KB, any two fit side by side); TT_MATRIX_SCALE scales the count.
		const uploads = Math.max(10, Math.round(120 * Number(process.env.TT_MATRIX_SCALE ?? 1)));
		const cfg = {
			profile: 'mega2560',
			flash: false,
			seed: 77,
			uploads,
			widths: [4, 8, 12, 16],
			poolBytes: POOL_BYTES
		};
		const lines: string[] = [];
		const r = await runMatrix(cfg, (l) => lines.push(l), new AvrBoard());
		console.log(
			`[avr matrix] ${JSON.stringify({ ...r, unclearErrors: r.unclearErrors.slice(0, 5) })}`
		);
		if (lines.length > 0) console.log(lines.slice(0, 20).join('\n'));
		expect(r.uploads).toBe(uploads);
		expect(r.corruptCommits).toBe(0);
		expect(r.previousModelLost).toBe(0);
		expect(r.unclearErrors).toEqual([]);
		expect(r.committed + r.failedClearly).toBe(r.uploads);
		expect(r.committed).toBeGreaterThan(r.uploads * 0.6);
	}, 600_000);

	it('counts cycles and instructions per inference (test-results/avr-cost.json)', async () => {
		// The harness watches the sketch's two ticks() reads around model_invoke: exact cycles between
		// them (interrupts included), instructions outside interrupt handlers, cycles inside them.
		const costFile = join(tmp, 'cost.json');
		const { board, s } = await open(['--cost', costFile]);
		const sine = sineModel();
		const mpg = mpgModel();
		const sineQs = Array.from({ length: 256 }, (_, i) => i - 128);
		const mpgQs = mpgSplit().test.map((c) => mpg.quantizeInput(c.horsepower));
		const ticks: number[][] = [];
		for (const [blob, qs] of [
			[sine.blob, sineQs],
			[mpg.blob, mpgQs]
		] as const) {
			await s.upload(blob);
			const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
			ticks.push(Array.from(out.ticks));
		}
		await board.stop();
		const raw = JSON.parse(readFileSync(costFile, 'utf8')) as {
			cpuHz: number;
			stackPeakBytes: number;
			inferences: { cycles: number; insns: number; isrCycles: number }[];
		};
		expect(raw.inferences).toHaveLength(sineQs.length + mpgQs.length);
		const summary = (xs: typeof raw.inferences, boardTicks: number[]) => {
			const mean = (f: (x: (typeof xs)[number]) => number) =>
				xs.reduce((a, x) => a + f(x), 0) / xs.length;
			const cycles = xs.map((x) => x.cycles - x.isrCycles);
			return {
				inferences: xs.length,
				cyclesMean: mean((x) => x.cycles),
				cyclesWithoutInterruptsMean: mean((x) => x.cycles - x.isrCycles),
				cyclesWithoutInterruptsMin: Math.min(...cycles),
				cyclesWithoutInterruptsMax: Math.max(...cycles),
				insnsMean: mean((x) => x.insns),
				usAt16MHz: mean((x) => x.cycles) / 16,
				boardTicksMeanUs: boardTicks.reduce((a, b) => a + b, 0) / boardTicks.length
			};
		};
		const sineCost = summary(raw.inferences.slice(0, sineQs.length), ticks[0]!);
		const mpgCost = summary(raw.inferences.slice(sineQs.length), ticks[1]!);
		const size = execFileSync('avr-size', ['-A', RUN_ELF], { encoding: 'utf8' });
		const section = (name: string) =>
			Number(new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(size)?.[1] ?? 0);
		const report = {
			method:
				'simavr (libsimavr 1.6) ATmega2560 @ 16 MHz; cycles (avr->cycle) from the return of the ' +
				"sketch's first ticks() read to the entry of the second, around model_invoke; " +
				'instructions = instructions executed outside interrupt handlers in that interval',
			sine: sineCost,
			mpg: mpgCost,
			sizes: { text: section('.text'), data: section('.data'), bss: section('.bss') },
			stackPeakBytes: raw.stackPeakBytes
		};
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/avr-cost.json', JSON.stringify(report, null, 2));
		console.log(`[avr cost] ${JSON.stringify(report)}`);
		// 8 KiB of SRAM: static data, the deepest stack seen in this run, and room to spare.
		const { data, bss } = report.sizes;
		expect(data + bss + raw.stackPeakBytes).toBeLessThan(8192);
		for (const c of [sineCost, mpgCost]) {
			expect(c.insnsMean).toBeGreaterThan(100);
			// micros() has 4 µs steps and its own cost: the board's figure agrees within a few µs.
			expect(Math.abs(c.boardTicksMeanUs - c.usAt16MHz)).toBeLessThan(10);
		}
	}, 180_000);
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
