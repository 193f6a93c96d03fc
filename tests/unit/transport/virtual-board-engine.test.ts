// The wasm engine driven directly, frame by frame, with the protocol library's codecs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAnswer } from '$lib/protocol/answers';
import { encodeFrame, FrameDecoder } from '$lib/protocol/framing';
import { encodeRequest } from '$lib/protocol/messages';
import type { Answer, Request } from '$lib/protocol/messages';
import { crc32 } from '$lib/checksum/crc32';
import { sineModel } from '$lib/demos/sine/sine';
import { VIRTUAL_BOARD_PROFILES, VirtualBoardEngine } from '$lib/transport/virtual-board-engine';
import type { VirtualBoardEngineOptions } from '$lib/transport/virtual-board-engine';

const wasmBytes = new Uint8Array(readFileSync(resolve('static/board/tinytwin-board.wasm')));
const wasmModule = new WebAssembly.Module(wasmBytes);

/** An engine plus a synchronous request → answers helper. */
async function engine(opts: Partial<VirtualBoardEngineOptions> = {}) {
	const out: Uint8Array[] = [];
	const e = await VirtualBoardEngine.create(wasmModule, { onTx: (f) => out.push(f), ...opts });
	const decoder = new FrameDecoder();
	let id = 1;
	const send = (req: Request): Answer[] => {
		e.receive(encodeFrame(encodeRequest(req, id++)));
		const answers = out.splice(0).flatMap((f) => decoder.push(f).map(decodeAnswer));
		return answers;
	};
	const hello = () => {
		const [a] = send({ type: 'HELLO', clientProtocol: 1 });
		if (a?.type !== 'HELLO_OK') throw new Error(`HELLO answered ${a?.type}`);
		return a.hello;
	};
	/** Uploads in one go (BEGIN, chunks of 900 bytes, COMMIT); returns COMMIT's answer. */
	const upload = (blob: Uint8Array, slot = 0) => {
		const blobCrc = crc32(blob);
		send({ type: 'BEGIN', totalLen: blob.length, blobCrc, slot, resume: false });
		for (let at = 0; at < blob.length; at += 900) {
			send({ type: 'CHUNK', offset: at, data: blob.subarray(at, at + 900) });
		}
		return send({ type: 'COMMIT', totalLen: blob.length, blobCrc })[0]!;
	};
	return { e, send, hello, upload, out };
}

describe('VirtualBoardEngine (wasm core, in-thread)', () => {
	it('lists the host build profiles and boots each one', async () => {
		const { e } = await engine();
		expect(e.profiles).toEqual([...VIRTUAL_BOARD_PROFILES]);
		for (const profile of VIRTUAL_BOARD_PROFILES) {
			const b = await engine({ profile });
			const h = b.hello();
			expect(h.board).toBe(`virtual (${profile})`);
			expect(h.tickHz).toBe(1_000_000);
		}
	});

	it('reports the nano33ble figures by default', async () => {
		const h = (await engine()).hello();
		expect(h).toMatchObject({
			protocol: 1,
			board: 'virtual (nano33ble)',
			cpuHz: 64_000_000,
			maxPayload: 1024,
			window: 4,
			poolBytes: 192 * 1024,
			flashBytes: 256 * 1024,
			storage: { ram: true, flash: true },
			model: null,
			pending: null
		});
		const mega = (await engine({ profile: 'mega2560' })).hello();
		expect(mega).toMatchObject({ maxPayload: 128, poolBytes: 4096, flashBytes: 0 });
		expect(mega.storage.flash).toBe(false);
	});

	it('refuses an unknown profile with a sentence', async () => {
		await expect(
			VirtualBoardEngine.create(wasmBytes, { profile: 'pdp11', onTx: () => undefined })
		).rejects.toThrow(/no "pdp11" profile\. Pick one of: host, nano33ble/);
	});

	it('answers garbage with BAD_FRAME and keeps going', async () => {
		const { e, out, hello } = await engine();
		e.receive(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]));
		const [bad] = new FrameDecoder().push(out.splice(0)[0]!).map(decodeAnswer);
		expect(bad).toMatchObject({ type: 'BAD_FRAME', badFrames: 1 });
		expect(hello().board).toBe('virtual (nano33ble)');
	});

	it('accepts bytes in any split, one at a time', async () => {
		const { e, out } = await engine();
		const frame = encodeFrame(encodeRequest({ type: 'STATUS' }, 7));
		for (const b of frame) e.receive(Uint8Array.of(b));
		const answers = out.flatMap((f) => new FrameDecoder().push(f).map(decodeAnswer));
		expect(answers).toMatchObject([{ type: 'STATUS_OK', id: 7 }]);
	});

	it('keeps a flash model across reset and into a new engine via the image', async () => {
		const blob = sineModel().blob;
		const a = await engine();
		expect(a.e.flashChanged).toBe(false);
		expect(a.upload(blob, 1)).toMatchObject({ type: 'COMMIT_OK', slot: 1 });
		expect(a.upload(blob, 0)).toMatchObject({ type: 'COMMIT_OK', slot: 0 });
		expect(a.e.flashChanged).toBe(true);
		a.e.reset();
		expect(a.e.bootModel).toBe('loaded');
		expect(a.hello().model).toMatchObject({ slot: 1, blobLen: blob.length });

		const image = a.e.flashImage()!;
		expect(image.length).toBe(64 + 2 * 256 * 1024);
		const b = await engine({ flashImage: image });
		expect(b.e.bootModel).toBe('loaded');
		expect(b.hello().model).toMatchObject({ slot: 1, blobCrc: crc32(blob) });
		const q = sineModel().quantizeInput(1.5);
		const [r] = b.send({ type: 'INFER', count: 1, inputs: Uint8Array.of(q & 0xff) });
		expect(r?.type).toBe('INFER_OK');

		// An image of another geometry is ignored: the board starts blank.
		const c = await engine({ profile: 'rp2040', flashImage: image });
		expect(c.e.bootModel).toBe('none');
		expect(c.hello().model).toBeNull();
	});

	it('measures inference time with the given clock, in microseconds', async () => {
		let t = 0;
		const { send, upload } = await engine({ now: () => (t += 0.25) });
		upload(sineModel().blob);
		const [r] = send({ type: 'INFER', count: 2, inputs: Uint8Array.of(0, 1) });
		if (r?.type !== 'INFER_OK') throw new Error(String(r?.type));
		// Each ticks_us() call advances the fake clock by 250 µs: one start, one end per inference.
		expect(Array.from(r.results.subarray(0, 4))).toEqual([250 & 0xff, 0, 0, 0]);
	});
});
