// Arena planning: a brute-force lifetime checker over random graphs, and the sizes that matter.
import { describe, expect, it } from 'vitest';
import { sineModel } from '../../../src/lib/demos/sine/sine';
import {
	planArena,
	planRecords,
	usageRecords,
	type UsageRecord
} from '../../../src/lib/model/format/arena-plan';
import type { Model } from '../../../src/lib/model/ir/ir';
import { mulberry32, randomInt } from '../../../src/lib/model/mlp/rng';
import { pq, tensor } from './helpers';

/** Every pair of tensors alive at a common step must occupy disjoint bytes. */
function checkPlan(
	records: readonly UsageRecord[],
	offsets: Map<number, number>,
	size: number
): void {
	for (const r of records) {
		const at = offsets.get(r.tensor)!;
		expect(at % 4).toBe(0);
		expect(at + r.size).toBeLessThanOrEqual(size);
	}
	for (let step = 0; step <= Math.max(0, ...records.map((r) => r.last)); step++) {
		const live = records.filter((r) => r.first <= step && step <= r.last);
		const owner = new Map<number, number>();
		for (const r of live) {
			const at = offsets.get(r.tensor)!;
			for (let byte = at; byte < at + r.size; byte++) {
				expect(
					owner.get(byte),
					`step ${step}: tensors ${owner.get(byte)} and ${r.tensor} share byte ${byte}`
				).toBeUndefined();
				owner.set(byte, r.tensor);
			}
		}
	}
}

describe('planRecords', () => {
	it('never overlaps live tensors (random lifetimes)', () => {
		const rng = mulberry32(5);
		for (let trial = 0; trial < 200; trial++) {
			const records: UsageRecord[] = Array.from({ length: randomInt(rng, 1, 12) }, (_, tensor) => {
				const first = randomInt(rng, 0, 8);
				return { tensor, size: randomInt(rng, 1, 70), first, last: first + randomInt(rng, 0, 4) };
			});
			const offsets = planRecords(records);
			const size = Math.max(...records.map((r) => offsets.get(r.tensor)! + r.size));
			checkPlan(records, offsets, size);
			// Never worse than giving every tensor its own aligned bytes.
			expect(size).toBeLessThanOrEqual(records.reduce((s, r) => s + Math.ceil(r.size / 4) * 4, 0));
		}
	});

	it('reuses two ping-pong buffers along a chain', () => {
		// Five 16-byte activations, each read only by the next op.
		const records = Array.from({ length: 5 }, (_, i) => ({
			tensor: i,
			size: 16,
			first: i,
			last: i + 1
		}));
		const offsets = planRecords(records);
		expect([...offsets.values()].sort()).toEqual([0, 0, 0, 16, 16]);
	});
});

describe('planArena on models', () => {
	it('plans the int8 sine model in at most 64 bytes (two 16-byte buffers)', () => {
		const { int8Model, floatModel } = sineModel();
		const plan = planArena(int8Model);
		expect(plan.size).toBeLessThanOrEqual(64);
		expect(plan.size).toBe(32);
		checkPlan(
			plan.records,
			new Map(plan.records.map((r) => [r.tensor, plan.offsets[r.tensor]!])),
			plan.size
		);
		expect(planArena(floatModel).size).toBe(128);
	});

	it('keeps model outputs alive to the end and inputs from the start', () => {
		const model: Model = {
			name: 'branch',
			tensors: [
				tensor('x', 'int8', [8], pq(1, 0)),
				tensor('a', 'int8', [8], pq(1, 0)),
				tensor('b', 'int8', [8], pq(1, 0)),
				tensor('c', 'int8', [8], pq(1, 0))
			],
			ops: [
				{ kind: 'RELU', inputs: [0], outputs: [1] },
				{ kind: 'RELU', inputs: [1], outputs: [2] },
				{ kind: 'ADD', inputs: [2, 0], outputs: [3], activation: 'none' }
			],
			inputs: [0],
			outputs: [3, 1]
		};
		const records = usageRecords(model);
		expect(records.map((r) => [r.tensor, r.first, r.last])).toEqual([
			[0, 0, 2],
			[1, 0, 3],
			[2, 1, 2],
			[3, 2, 3]
		]);
		const plan = planArena(model);
		checkPlan(records, new Map(records.map((r) => [r.tensor, plan.offsets[r.tensor]!])), plan.size);
		expect(plan.size).toBe(32); // at step 2 all four are alive: ADD reads x and b, writes c; a is an output
	});
});
