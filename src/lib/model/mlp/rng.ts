// Seeded pseudo-random numbers (mulberry32): the same seed gives the same stream on every engine,
// because only 32-bit integer arithmetic is involved.

export type Rng = () => number;

/** Uniform in [0, 1), 2^32 distinct values. */
export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Integer in [lo, hi] (inclusive). */
export function randomInt(rng: Rng, lo: number, hi: number): number {
	return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Standard normal (Box–Muller; uses Math.log / Math.cos, so not bit-identical across engines). */
export function gaussian(rng: Rng): number {
	const u = 1 - rng();
	const v = rng();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(rng: Rng, items: T[]): T[] {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[items[i], items[j]] = [items[j]!, items[i]!];
	}
	return items;
}
