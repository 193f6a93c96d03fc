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

/**
 * Model inputs (and, apart, model outputs) placed back to back in model order when there are several:
 * staged inference (docs/protocol.md §7.2) writes an input record straight into the input tensors'
 * arena bytes and reads results from the output tensors', which needs each group contiguous. A group
 * is one usage record spanning its members' lifetimes. Not possible (members planned alone) when a
 * member but the last has a size that is not a multiple of 4 (arena offsets are 4-byte aligned) or
 * the groups share a tensor.
 */
function ioGroups(model: Model, records: readonly UsageRecord[]): number[][] {
	const byTensor = new Map(records.map((r) => [r.tensor, r]));
	const groups = [model.inputs, model.outputs].filter(
		(g) =>
			g.length > 1 &&
			new Set(g).size === g.length &&
			g.every((t) => byTensor.has(t)) &&
			g.slice(0, -1).every((t) => byTensor.get(t)!.size % 4 === 0)
	);
	const [a, b] = groups;
	return a && b && a.some((t) => b.includes(t)) ? [] : groups;
}

export function planArena(model: Model): ArenaPlan {
	const records = usageRecords(model);
	const groups = ioGroups(model, records);
	const grouped = new Set(groups.flat());
	const byTensor = new Map(records.map((r) => [r.tensor, r]));
	// Synthetic records for the groups get negative ids (−1, −2).
	const planned: UsageRecord[] = records.filter((r) => !grouped.has(r.tensor));
	groups.forEach((g, k) => {
		const members = g.map((t) => byTensor.get(t)!);
		planned.push({
			tensor: -1 - k,
			size: members.reduce((n, r) => n + r.size, 0),
			first: Math.min(...members.map((r) => r.first)),
			last: Math.max(...members.map((r) => r.last))
		});
	});
	const placed = planRecords(planned);
	groups.forEach((g, k) => {
		let at = placed.get(-1 - k)!;
		for (const t of g) {
			placed.set(t, at);
			at += byTensor.get(t)!.size;
		}
	});
	const offsets = model.tensors.map((_, i) => placed.get(i) ?? null);
	let size = 0;
	for (const r of records) size = Math.max(size, placed.get(r.tensor)! + r.size);
	return { offsets, size: alignUp(size, ARENA_ALIGNMENT), records };
}
