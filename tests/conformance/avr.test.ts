// docs: the real Arduino sketch (firmware/examples/TinyTwin, Debian's Arduino AVR core, arduino-mk)
// on a simulated ATmega2560 (simavr, firmware/targets/avr) through the board conformance suite
// (board-suite.ts): handshake, the sine and MPG demos byte for byte against the TypeScript int8
// reference, every golden vector, faults and the upload fault matrix with zero corrupt commits, on a
// line that never loses a byte; then cycles per inference (docs/targets/avr-simavr.md).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { AvrBoard, requireAvr, RUN_BOARD, RUN_ELF } from './avr-board';
import { imageSizes } from '../shared/elf-size';
import { boardConformance, int8Bytes } from './board-suite';

const tmp = mkdtempSync(join(tmpdir(), 'tt-avr-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Arduino Mega 2560: the real sketch on simavr (ATmega2560, 16 MHz, 115 200 baud)', () => {
	beforeAll(requireAvr, 300_000);

	boardConformance({
		create: () => new AvrBoard(),
		hello: {
			board: 'mega2560',
			cpuHz: 16_000_000,
			tickHz: 1_000_000,
			maxPayload: 128,
			window: 2,
			storage: { ram: true, flash: false },
			poolBytes: 4096
		},
		process: { command: RUN_BOARD, args: [] },
		// The pool holds the running model and the one being uploaded, so the models are 1→w→w→1
		// with w ≤ 16 (blobs of 0.9 to 1.8 KB, any two fit side by side).
		matrix: { profile: 'mega2560', flash: false, seed: 77, uploads: 120, widths: [4, 8, 12, 16] },
		// The chip's USART holds two unread bytes; the harness reports any byte a real one would lose.
		afterEachBoard: (board) => expect((board as AvrBoard).log).not.toMatch(/data overrun/),
		strictCleanLine: true,
		timeouts: { demo: 120_000, golden: 300_000 }
	});

	const boards: AvrBoard[] = [];
	afterAll(async () => {
		for (const b of boards) await b.stop();
	});
	async function open(args: string[]) {
		const board = new AvrBoard(args);
		boards.push(board);
		return { board, s: await board.start() };
	}

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
		const report = {
			method:
				'simavr (libsimavr 1.6) ATmega2560 @ 16 MHz; cycles (avr->cycle) from the return of the ' +
				"sketch's first ticks() read to the entry of the second, around model_invoke; " +
				'instructions = instructions executed outside interrupt handlers in that interval',
			sine: sineCost,
			mpg: mpgCost,
			sizes: imageSizes('avr-size', RUN_ELF),
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
