// A real Session over the virtual board (the committed wasm, in-thread worker): handshake, the sine
// demo bit for bit against the TypeScript reference, a rejected blob, every golden vector.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 } from '$lib/checksum/crc32';
import { DeviceError } from '$lib/protocol/errors';
import { Session } from '$lib/protocol/session';
import { sineModel } from '$lib/demos/sine/sine';
import {
	createInThreadPort,
	VirtualBoardTransport,
	VirtualFlashStore
} from '$lib/transport/virtual-board';
import type { VirtualBoardOptions } from '$lib/transport/virtual-board';
import { expectGoldenVectors } from '../../shared/golden';
import { expectOracleFixturesOnBoard } from '../../shared/oracle-run';

const wasmModule = new WebAssembly.Module(
	readFileSync(resolve('static/board/tinytwin-board.wasm'))
);
const sessions: Session[] = [];

afterEach(async () => {
	for (const s of sessions.splice(0)) await s.close().catch(() => undefined);
});

/** A Session over a virtual board in this thread (vitest runs in Node: no module Worker). */
async function open(opts: VirtualBoardOptions = {}) {
	const transport = new VirtualBoardTransport({
		wasm: wasmModule,
		createPort: createInThreadPort,
		flashStore: new VirtualFlashStore(),
		...opts
	});
	const s = await Session.open(transport);
	sessions.push(s);
	return s;
}

const int8Bytes = (qs: readonly number[]) => Uint8Array.from(qs, (q) => q & 0xff);

describe('Session ↔ virtual board (wasm)', () => {
	it('shakes hands and shows the nano33ble profile', async () => {
		const s = await open();
		expect(s.transport.info).toEqual({
			kind: 'virtual',
			label: 'Virtual board (nano33ble profile)',
			bytesPerSecond: undefined
		});
		expect(s.hello).toMatchObject({
			protocol: 1,
			firmware: { major: 0, minor: 1, patch: 0 },
			board: 'virtual (nano33ble)',
			cpuHz: 64_000_000,
			tickHz: 1_000_000,
			maxPayload: 1024,
			window: 4,
			storage: { ram: true, flash: true },
			poolBytes: 196_608,
			model: null,
			pending: null
		});
		expect(s.hello.ops).toEqual(expect.arrayContaining([9, 19, 21]));
		expect((await s.status()).uptimeMs).toBeGreaterThanOrEqual(0);
	});

	it('runs the sine demo: all 256 int8 inputs equal the TS reference byte for byte', async () => {
		const sine = sineModel();
		const s = await open();
		const r = await s.upload(sine.blob);
		expect(r).toMatchObject({ blobLen: sine.blob.length, blobCrc: crc32(sine.blob), slot: 0 });
		expect(s.model?.name).toBe(sine.int8Model.name);
		const qs = Array.from({ length: 256 }, (_, i) => i - 128);
		const out = await s.infer(int8Bytes(qs), { count: 256, inputBytes: 1, outputBytes: 1 });
		expect(Array.from(new Int8Array(out.outputs.buffer, out.outputs.byteOffset, 256))).toEqual(
			sine.runInt8(qs)
		);
		expect(out.ticks).toHaveLength(256);
		expect(s.stats.framesSent).toBeLessThan(20);
	});

	it('rejects an invalid blob and keeps the old model answering', async () => {
		const sine = sineModel();
		const s = await open();
		await s.upload(sine.blob);
		const bad = sine.blob.slice();
		bad[4] = 9; // format major version
		const e = (await s.upload(bad).catch((x: unknown) => x)) as DeviceError;
		expect(e).toBeInstanceOf(DeviceError);
		expect(e.codeName).toBe('MODEL_INVALID');
		expect(s.model).toMatchObject({ blobCrc: crc32(sine.blob) });
		const qs = [-128, -60, 0, 77, 127];
		const out = await s.infer(int8Bytes(qs), { count: 5, inputBytes: 1, outputBytes: 1 });
		expect(Array.from(new Int8Array(out.outputs.buffer, out.outputs.byteOffset, 5))).toEqual(
			sine.runInt8(qs)
		);
	});

	it('refuses a blob too large for the mega2560 profile and a flash slot it lacks', async () => {
		const s = await open({ profile: 'mega2560' });
		expect(s.hello).toMatchObject({ board: 'virtual (mega2560)', maxPayload: 128 });
		const big = new Uint8Array(8192);
		const e = (await s.upload(big).catch((x: unknown) => x)) as DeviceError;
		expect(e.codeName).toBe('TOO_LARGE');
		const f = (await s
			.upload(sineModel().blob, { slot: 1 })
			.catch((x: unknown) => x)) as DeviceError;
		expect(f.codeName).toBe('BAD_SLOT');
	});

	it('runs every oracle fixture it has the ops and RAM for like TFLM; refuses the others', async () => {
		const s = await open();
		const ran = await expectOracleFixturesOnBoard(s, s.hello.poolBytes);
		expect(ran.length).toBeGreaterThan(0);
	}, 120_000);

	it('matches every golden vector', async () => {
		await expectGoldenVectors(await open());
	});
});
