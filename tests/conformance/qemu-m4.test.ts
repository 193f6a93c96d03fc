// docs: the firmware core bare-metal on an emulated Cortex-M4 (QEMU mps2-an386, CMSDK UART as the
// serial line, firmware/targets/qemu-m4) through the board conformance suite (board-suite.ts):
// handshake, the sine and MPG demos byte for byte against the TypeScript int8 reference, every golden
// vector, faults and the upload fault matrix with zero corrupt commits; then instructions per
// inference under -icount.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { createExecutor, importTflite, writeBlob } from '../../src/lib/model';
import { boardConformance, int8Bytes } from './board-suite';
import { QemuM4Board, requireQemuM4, RUN_BOARD } from './qemu-m4-board';

describe('Cortex-M4 board (QEMU mps2-an386)', () => {
	beforeAll(requireQemuM4, 120_000);

	boardConformance({
		create: () => new QemuM4Board(),
		// The nano33ble sizes without its flash slot.
		hello: {
			board: 'qemu-m4 (mps2-an386)',
			cpuHz: 25_000_000,
			tickHz: 25_000_000,
			maxPayload: 1024,
			window: 4,
			storage: { ram: true, flash: false },
			poolBytes: 196_608
		},
		process: { command: RUN_BOARD, args: [] },
		matrix: { profile: 'qemu-m4', flash: false, seed: 55, uploads: 120, widths: [4, 12, 24, 40] }
	});

	const boards: QemuM4Board[] = [];
	afterAll(async () => {
		for (const b of boards) await b.stop();
	});
	async function open(args: string[]) {
		const board = new QemuM4Board(args);
		boards.push(board);
		return { board, s: await board.start() };
	}

	it('counts instructions per inference under -icount (figures in test-results/qemu-m4-cost.json)', async () => {
		// -icount shift=0: one instruction per ns of virtual time; the 25 MHz tick is 40 instructions.
		// INFER_OK's ticks cover model_invoke (and the two tick reads around it); averaged over many
		// inferences the 40-instruction quantization averages out. TFLM's own hello_world_int8.tflite
		// (through the importer) is the model of the reference figure and goal.
		const { s } = await open(['--icount']);
		const sine = sineModel();
		const mpg = mpgModel();
		const helloWorld = writeBlob(
			importTflite(
				new Uint8Array(readFileSync(resolve('../shared/data/tflm/hello_world_int8.tflite')))
			)
		);
		const all = Array.from({ length: 256 }, (_, i) => i - 128);
		const perInference = async (blob: Uint8Array, qs: number[]) => {
			await s.upload(blob);
			const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
			// The figure is only worth something if the answers are right.
			expect(out.outputs).toEqual(createExecutor(blob).run(int8Bytes(qs), qs.length));
			return (out.ticks.reduce((a, b) => a + b, 0) / out.ticks.length) * 40;
		};
		const helloWorldInsns = await perInference(helloWorld, all);
		const sineInsns = await perInference(sine.blob, all);
		const mpgInsns = await perInference(
			mpg.blob,
			mpgSplit().test.map((r) => mpg.quantizeInput(r.horsepower))
		);
		const report = {
			method: '-icount shift=0, INFER_OK ticks × 40',
			helloWorldInsns,
			sineInsns,
			mpgInsns
		};
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/qemu-m4-cost.json', JSON.stringify(report, null, 2));
		console.log(`[qemu-m4 cost] ${JSON.stringify(report)}`);
		for (const n of [helloWorldInsns, sineInsns, mpgInsns]) expect(n).toBeGreaterThan(100);
	}, 120_000);
});
