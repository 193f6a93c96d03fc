// The golden vectors of tests/fixtures/golden (shared with the C++ tests), run through any board's
// Session: every case uploaded, its inputs inferred, the outputs compared byte for byte (int8) or
// within the case's ulp budget (float32).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Session } from '../../src/lib/protocol';

const GOLDEN = resolve('tests/fixtures/golden');

export interface GoldenCase {
	name: string;
	maxUlp: number;
	blobBytes: number;
	arenaBytes: number;
}

export function goldenCases(): GoldenCase[] {
	return (JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')) as { cases: GoldenCase[] })
		.cases;
}

/** Runs every case on the board; returns the bytes each upload had to resend. */
export async function expectGoldenVectors(s: Session, poolBytes?: number): Promise<number[]> {
	const cases = goldenCases();
	expect(cases.length).toBeGreaterThan(20);
	const resent: number[] = [];
	for (const c of cases) {
		// Every golden model fits the smallest pool; were one too big, COMMIT would refuse it.
		if (poolBytes !== undefined) expect(c.blobBytes + c.arenaBytes, c.name).toBeLessThan(poolBytes);
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
		resent.push((await s.upload(blob)).retransmittedBytes);
		const got = (await s.infer(inputs, { count, inputBytes, outputBytes })).outputs;
		if (c.maxUlp === 0) {
			expect(Buffer.from(got).equals(Buffer.from(want)), c.name).toBe(true);
		} else {
			expect(maxUlpDistance(got, want), c.name).toBeLessThanOrEqual(c.maxUlp);
		}
	}
	return resent;
}

/** Largest distance in units in the last place between two float32 arrays (same length). */
export function maxUlpDistance(a: Uint8Array, b: Uint8Array): number {
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
