// Imported hello_world models on the WASM virtual board (a real Session): the int8 model equals the
// TS reference executor byte for byte over all 256 inputs; the float model is within 0.05 of sin x.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, importTflite, writeBlob } from '$lib/model';
import { Session } from '$lib/protocol/session';
import {
	createInThreadPort,
	VirtualBoardTransport,
	VirtualFlashStore
} from '$lib/transport/virtual-board';

const load = (name: string) =>
	new Uint8Array(readFileSync(resolve('../shared/data/tflm', `${name}.tflite`)));
const wasmModule = new WebAssembly.Module(
	readFileSync(resolve('static/board/tinytwin-board.wasm'))
);
const sessions: Session[] = [];

afterEach(async () => {
	for (const s of sessions.splice(0)) await s.close().catch(() => undefined);
});

async function open() {
	const transport = new VirtualBoardTransport({
		wasm: wasmModule,
		createPort: createInThreadPort,
		flashStore: new VirtualFlashStore()
	});
	const s = await Session.open(transport);
	sessions.push(s);
	return s;
}

describe('imported .tflite on the virtual board', () => {
	it('hello_world_int8: all 256 int8 inputs equal the TS executor byte for byte', async () => {
		const blob = writeBlob(importTflite(load('hello_world_int8')));
		const inputs = Uint8Array.from({ length: 256 }, (_, i) => i); // int8 −128 … 127 as bytes
		const expected = createExecutor(blob).run(inputs, 256);
		const s = await open();
		await s.upload(blob);
		const out = await s.infer(inputs, { count: 256, inputBytes: 1, outputBytes: 1 });
		expect(Array.from(out.outputs)).toEqual(Array.from(expected));

		// TFLM's own hello_world test on the board.
		const qs = [-96, -63, -34, 0];
		const r = await s.infer(
			Uint8Array.from(qs, (q) => q & 0xff),
			{
				count: 4,
				inputBytes: 1,
				outputBytes: 1
			}
		);
		const ys = Array.from(
			new Int8Array(r.outputs.slice().buffer),
			(q) => (q - 5) * 0.008290956728160381
		);
		[0.77, 1.57, 2.3, 3.14].forEach((x, k) =>
			expect(Math.abs(Math.sin(x) - ys[k]!)).toBeLessThanOrEqual(0.05)
		);
	});

	it('hello_world_float: x = 0, 1, 3, 5 within 0.05 of sin x, equal to the TS executor', async () => {
		const blob = writeBlob(importTflite(load('hello_world_float')));
		const xs = Float32Array.from([0, 1, 3, 5]);
		const inputs = new Uint8Array(xs.buffer);
		const expected = createExecutor(blob).run(inputs, 4);
		const s = await open();
		await s.upload(blob);
		const out = await s.infer(inputs, { count: 4, inputBytes: 4, outputBytes: 4 });
		expect(Array.from(out.outputs)).toEqual(Array.from(expected));
		const ys = new Float32Array(out.outputs.slice().buffer);
		xs.forEach((x, k) => expect(Math.abs(Math.sin(x) - ys[k]!)).toBeLessThanOrEqual(0.05));
	});
});
