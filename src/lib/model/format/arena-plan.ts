// Arena planning from tensor lifetimes ("tensor usage records", as TFLM's greedy planner): every
// non-constant tensor gets a byte offset so that tensors alive at the same time never share bytes.
// Time is the op index: a model input is born at step 0, an op output at its op's step; a tensor dies
// after the last op that reads it (model outputs live to the end). Lifetimes are inclusive, so an op's
// output never aliases its own inputs.

import { byteSize, isConstant, type Model } from '../ir/ir';

export const ARENA_ALIGNMENT = 4;

export interface UsageRecord {
	tensor: number;
	size: number;
	/** First and last step (inclusive) at which the bytes must hold the tensor. */
	first: number;
	last: number;
}

export interface ArenaPlan {
	/** Byte offset in the arena per tensor index; null for constants. */
	offsets: (number | null)[];
	/** Bytes the plan uses (a multiple of the alignment). */
	size: number;
	records: UsageRecord[];
}

/** Lifetimes of every non-constant tensor of `model`. Unused tensors live at their birth step. */
export function usageRecords(model: Model): UsageRecord[] {
	const first = new Map<number, number>();
	const last = new Map<number, number>();
	const end = model.ops.length;
	for (const t of model.inputs) first.set(t, 0);
	model.ops.forEach((op, step) => {
		for (const t of op.inputs) if (t !== null) last.set(t, step);
		for (const t of op.outputs) if (!first.has(t)) first.set(t, step);
	});
	for (const t of model.outputs) last.set(t, end);
	const records: UsageRecord[] = [];
	model.tensors.forEach((tensor, index) => {
		if (isConstant(tensor)) return;
		const born = first.get(index);
		if (born === undefined) return; // never produced: not part of the graph
		records.push({
			tensor: index,
			size: byteSize(tensor),
			first: born,
			last: Math.max(born, last.get(index) ?? born)
		});
	});
	return records;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * Greedy by size: tensors in decreasing size (ties: lower index first) each take the lowest aligned
 * offset that does not collide with an already placed tensor whose lifetime overlaps. For a chain of
 * layers this yields two ping-pong buffers.
 */
export function planRecords(
	records: readonly UsageRecord[],
	alignment = ARENA_ALIGNMENT
): Map<number, number> {
	const order = [...records].sort((a, b) => b.size - a.size || a.tensor - b.tensor);
	const placed: { rec: UsageRecord; offset: number }[] = [];
	const result = new Map<number, number>();
	for (const rec of order) {
		const conflicts = placed
			.filter((p) => p.rec.first <= rec.last && rec.first <= p.rec.last)
			.sort((a, b) => a.offset - b.offset);
		let offset = 0;
		for (const c of conflicts) {
			if (offset + rec.size <= c.offset) break; // fits in the gap before c
			offset = Math.max(offset, alignUp(c.offset + c.rec.size, alignment));
		}
		placed.push({ rec, offset });
		result.set(rec.tensor, offset);
	}
	return result;
}

export function planArena(model: Model): ArenaPlan {
	const records = usageRecords(model);
	const placed = planRecords(records);
	const offsets = model.tensors.map((_, i) => placed.get(i) ?? null);
	let size = 0;
	for (const r of records) size = Math.max(size, placed.get(r.tensor)! + r.size);
	return { offsets, size: alignUp(size, ARENA_ALIGNMENT), records };
}
