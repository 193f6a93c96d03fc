// VirtualBoardTransport's own behaviour over an in-thread worker: lifecycle, the flash image kept
// between connections, reset, device loss, boot failures, pacing and loading the wasm by URL.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '$lib/protocol/errors';
import { Session } from '$lib/protocol/session';
import { sineModel } from '$lib/demos/sine/sine';
import {
	createInThreadPort,
	VIRTUAL_BOARD_WASM_URL,
	VirtualBoardTransport,
	VirtualFlashStore
} from '$lib/transport/virtual-board';
import type { VirtualBoardOptions, VirtualBoardPort } from '$lib/transport/virtual-board';
import type { CloseReason } from '$lib/protocol/link';

const wasmBytes = new Uint8Array(readFileSync(resolve('static/board/tinytwin-board.wasm')));
const wasmModule = new WebAssembly.Module(wasmBytes);

function board(opts: VirtualBoardOptions = {}): VirtualBoardTransport {
	return new VirtualBoardTransport({
		wasm: wasmModule,
		createPort: createInThreadPort,
		flashStore: new VirtualFlashStore(),
		...opts
	});
}

/** An in-thread port whose worker can be made to fail, or never to answer. */
function faultyPort(mode: 'normal' | 'silent' = 'normal') {
	let fail: (message: string) => void = () => undefined;
	const inner = createInThreadPort();
	const port: VirtualBoardPort = {
		listen(onMessage, onError) {
			fail = onError;
			inner.listen(onMessage, onError);
		},
		post(m, t) {
			if (mode === 'normal') inner.post(m, t);
		},
		terminate: vi.fn(() => inner.terminate())
	};
	return { port, crash: (why: string) => fail(why) };
}

const sine = sineModel();
const one = (q: number) => Uint8Array.of(q & 0xff);

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('VirtualBoardTransport', () => {
	it('opens, closes once, and refuses writes when not open', async () => {
		const t = board();
		expect(t.info).toMatchObject({ kind: 'virtual', label: 'Virtual board (nano33ble profile)' });
		await expect(t.write(Uint8Array.of(0))).rejects.toBeInstanceOf(TransportError);
		const closes: CloseReason[] = [];
		t.onClose((r) => closes.push(r));
		await t.open();
		expect(t.isOpen).toBe(true);
		expect(t.bootModel).toBe('none');
		await t.close();
		await t.close();
		expect(closes).toEqual([{ kind: 'closed' }]);
		expect(t.isOpen).toBe(false);
		const e = (await t.write(Uint8Array.of(0)).catch((x: unknown) => x)) as TransportError;
		expect(e.severity).toBe('device-lost');
	});

	it('keeps a flash model across close and reopen (same store), not without a store', async () => {
		const store = new VirtualFlashStore();
		const a = await Session.open(board({ flashStore: store }));
		await a.upload(sine.blob, { slot: 1 });
		await a.close();
		expect(store.get('nano33ble')?.length).toBe(64 + 2 * 256 * 1024);

		const t = board({ flashStore: store });
		const b = await Session.open(t);
		expect(t.bootModel).toBe('loaded');
		expect(b.hello.model).toMatchObject({ slot: 1, blobLen: sine.blob.length });
		const out = await b.infer(one(-100), { count: 1, inputBytes: 1, outputBytes: 1 });
		expect((out.outputs[0]! << 24) >> 24).toBe(sine.runInt8([-100])[0]);
		await b.close();

		// The same transport object reopens with the image too; another profile has its own flash.
		const c = await Session.open(t);
		expect(c.hello.model?.slot).toBe(1);
		await c.close();
		const other = await Session.open(board({ flashStore: store, profile: 'rp2040' }));
		expect(other.hello.model).toBeNull();
		await other.close();

		const none = await Session.open(board({ flashStore: null }));
		await none.upload(sine.blob, { slot: 1 });
		await none.close();
		const again = await Session.open(board({ flashStore: null }));
		expect(again.hello.model).toBeNull();
		await again.close();
	});

	it('reset() loses the RAM model and brings back the flash model', async () => {
		const t = board();
		const s = await Session.open(t);
		await s.upload(sine.blob);
		expect((await s.status()).model?.slot).toBe(0);
		expect(await t.reset()).toBe('none');
		expect((await s.status()).model).toBeNull();
		await s.upload(sine.blob, { slot: 1 });
		expect(await t.reset()).toBe('loaded');
		expect((await s.status()).model?.slot).toBe(1);
		await s.close();
	});

	it('reports a worker crash as device-lost and fails pending requests', async () => {
		const { port, crash } = faultyPort();
		const t = board({ createPort: () => port });
		const s = await Session.open(t);
		const closed = new Promise<CloseReason>((ok) => t.onClose(ok));
		crash('RuntimeError: unreachable');
		const reason = await closed;
		expect(reason).toMatchObject({ kind: 'device-lost' });
		expect(reason.kind === 'device-lost' && reason.message).toMatch(/worker failed: RuntimeError/);
		expect(port.terminate).toHaveBeenCalledOnce();
		await expect(s.status()).rejects.toBeInstanceOf(TransportError);
		await s.close();
	});

	it('fails open() with a sentence for an unknown profile, a silent worker and an abort', async () => {
		const bad = board({ profile: 'pdp11' });
		const closes: CloseReason[] = [];
		bad.onClose((r) => closes.push(r));
		await expect(bad.open()).rejects.toThrow(/no "pdp11" profile/);
		expect(closes).toEqual([]);
		expect(bad.isOpen).toBe(false);

		const silent = faultyPort('silent');
		const slow = board({ createPort: () => silent.port, bootTimeoutMs: 30 });
		await expect(slow.open()).rejects.toThrow(/did not start within 30 ms/);
		expect(silent.port.terminate).toHaveBeenCalledOnce();

		const quiet = faultyPort('silent');
		const ac = new AbortController();
		const aborted = board({ createPort: () => quiet.port }).open(ac.signal);
		ac.abort();
		await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
		expect(quiet.port.terminate).toHaveBeenCalledOnce();
	});

	it('paces the line when given a rate', async () => {
		const rate = 20_000;
		const t = board({ bytesPerSecond: rate });
		expect(t.info.bytesPerSecond).toBe(rate);
		const s = await Session.open(t);
		const r = await s.upload(sine.blob);
		expect(r.elapsedMs).toBeGreaterThan((sine.blob.length / rate) * 1000 * 0.9);
		await s.close();
	});

	it('fetches the wasm from its URL by default, and explains a failed fetch', async () => {
		const fetched: string[] = [];
		vi.stubGlobal('fetch', async (url: string) => {
			fetched.push(url);
			return url === VIRTUAL_BOARD_WASM_URL
				? new Response(wasmBytes, { headers: { 'content-type': 'application/wasm' } })
				: new Response('not found', { status: 404 });
		});
		const store = new VirtualFlashStore();
		const t = new VirtualBoardTransport({ createPort: createInThreadPort, flashStore: store });
		await t.open();
		await t.close();
		await t.open(); // compiled once per page
		await t.close();
		expect(fetched).toEqual(['/board/tinytwin-board.wasm']);
		const missing = new VirtualBoardTransport({
			createPort: createInThreadPort,
			wasmUrl: '/nowhere.wasm'
		});
		const e = (await missing.open().catch((x: unknown) => x)) as TransportError;
		expect(e).toBeInstanceOf(TransportError);
		expect(e.message).toMatch(/could not be loaded \(\/nowhere\.wasm answered HTTP 404\)/);
	});
});
