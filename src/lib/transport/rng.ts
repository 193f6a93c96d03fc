// Seeded PRNG (mulberry32) so fault-injection runs are reproducible from their seed.

export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform integer in [0, n). */
	int(n: number): number;
}

export function seededRng(seed: number): Rng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { next, int: (n) => Math.floor(next() * n) };
}
