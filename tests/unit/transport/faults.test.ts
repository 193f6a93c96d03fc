import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '$lib/protocol/framing';
import { FaultyTransport } from '$lib/transport/faults';
import type { FaultOptions } from '$lib/transport/faults';
import { createMemoryPair } from '$lib/transport/memory-pair';

async function rig(opts: FaultOptions) {
	const [a, b] = createMemoryPair();
	const f = new FaultyTransport(a, opts);
	await f.open();
	await b.open();
	const atBoard: Uint8Array[] = [];
	const atHost: Uint8Array[] = [];
	b.onData((c) => atBoard.push(c.slice()));
	f.onData((c) => atHost.push(c.slice()));
	const settle = () => new Promise((r) => setTimeout(r, 10));
	return { f, b, atBoard, atHost, settle };
}

const frames = (n: number) =>
	Array.from({ length: n }, (_, i) => encodeFrame(Uint8Array.of(0x11, i, 0, 7, 7, 7)));
const flat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('FaultyTransport', () => {
	it('passes bytes through untouched without faults', async () => {
		const { f, b, atBoard, atHost, settle } = await rig({});
		const wire = flat(frames(5));
		await f.write(wire);
		await b.write(Uint8Array.of(1, 2, 0));
		await settle();
		expect(flat(atBoard)).toEqual(wire);
		expect(flat(atHost)).toEqual(Uint8Array.of(1, 2, 0));
	});

	it('drops and duplicates whole frames, reproducibly from the seed', async () => {
		const run = async (seed: number) => {
			const { f, atBoard, settle } = await rig({
				seed,
				toBoard: { dropFrameRate: 0.3, duplicateFrameRate: 0.3 }
			});
			for (const fr of frames(200)) await f.write(fr);
			await settle();
			const d = new FrameDecoder(64);
			const got = d.push(flat(atBoard));
			expect(d.stats.bad).toBe(0); // whole frames only: nothing half-dropped
			return { ids: got.map((p) => p[1]), stats: f.toBoard.stats };
		};
		const r1 = await run(42);
		const r2 = await run(42);
		expect(r1).toEqual(r2);
		expect(r1.stats.framesDropped).toBeGreaterThan(30);
		expect(r1.stats.framesDuplicated).toBeGreaterThan(30);
		expect(r1.ids.length).toBe(200 - r1.stats.framesDropped + r1.stats.framesDuplicated);
		expect((await run(43)).ids).not.toEqual(r1.ids);
	});

	it('flips bits at the configured byte error rate in either direction', async () => {
		const { f, b, atBoard, atHost, settle } = await rig({
			seed: 5,
			toBoard: { byteErrorRate: 0.01 },
			toHost: { byteErrorRate: 0.01 }
		});
		const data = new Uint8Array(20_000).fill(0x55);
		await f.write(data);
		await b.write(data);
		await settle();
		for (const [got, lane] of [
			[flat(atBoard), f.toBoard],
			[flat(atHost), f.toHost]
		] as const) {
			let flips = 0;
			for (const x of got) if (x !== 0x55) flips += 1;
			expect(flips).toBe(lane.stats.bitFlips);
			expect(flips).toBeGreaterThan(120);
			expect(flips).toBeLessThan(300);
		}
	});

	it('splits writes into pieces of a fixed or random size', async () => {
		const fixed = await rig({ toBoard: { split: 3 } });
		await fixed.f.write(new Uint8Array(10).fill(1));
		await fixed.settle();
		expect(flat(fixed.atBoard)).toEqual(new Uint8Array(10).fill(1));
		const random = await rig({ seed: 3, toBoard: { split: 'random' } });
		await random.f.write(new Uint8Array(1000).fill(2));
		await random.settle();
		expect(flat(random.atBoard).length).toBe(1000);
		expect(random.atBoard.length).toBeGreaterThan(10);
	});

	it('delays delivery and keeps order', async () => {
		const { f, atBoard } = await rig({ seed: 9, toBoard: { delayMs: [1, 5], split: 2 } });
		const t0 = Date.now();
		const wire = flat(frames(4));
		await f.write(wire);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(wire.length / 2);
		await new Promise((r) => setTimeout(r, 5));
		expect(flat(atBoard)).toEqual(wire);
	});

	it('runs the reset hook on demand and can change faults later', async () => {
		let resets = 0;
		const { f, atBoard, settle } = await rig({
			onReset: () => void resets++,
			toBoard: { dropFrameRate: 1 }
		});
		await f.write(frames(1)[0]!);
		await f.reset();
		expect(resets).toBe(1);
		f.setFaults({ toBoard: {} });
		await f.write(frames(1)[0]!);
		await settle();
		expect(flat(atBoard)).toEqual(frames(1)[0]);
	});
});
