// Does a validated blob fit a board? Answered before uploading — from the board's handshake, or from
// a known board profile (board-profiles.ts) when there is no board yet — as a structured verdict:
// model bytes, planned arena, RAM and flash needed vs available, ops present vs supported, and for
// each problem a sentence naming the tensor or op to blame and by how much. Shared by the dashboard
// and the CLI.
import { formatBytes } from '../../format';
import type { BlobModel, BlobTensor } from '../format/blob-reader';
import { findProfile, type BoardProfile } from './board-profiles';
import { OPCODE } from '../ops/registry';

// TFLite BuiltinOperator names beyond the blob format's own, so an unsupported op is named.
const OTHER_OPS: Record<number, string> = {
	1: 'AVERAGE_POOL_2D',
	2: 'CONCATENATION',
	3: 'CONV_2D',
	4: 'DEPTHWISE_CONV_2D',
	5: 'DEPTH_TO_SPACE',
	7: 'EMBEDDING_LOOKUP',
	8: 'FLOOR',
	11: 'L2_NORMALIZATION',
	12: 'L2_POOL_2D',
	14: 'LOGISTIC',
	16: 'LSTM',
	17: 'MAX_POOL_2D',
	18: 'MUL',
	20: 'RELU_N1_TO_1',
	22: 'RESHAPE',
	23: 'RESIZE_BILINEAR',
	24: 'RNN',
	26: 'SPACE_TO_DEPTH',
	27: 'SVDF',
	28: 'TANH',
	32: 'CUSTOM',
	34: 'PAD',
	39: 'TRANSPOSE',
	40: 'MEAN',
	41: 'SUB',
	42: 'DIV',
	43: 'SQUEEZE',
	47: 'EXP',
	49: 'SPLIT',
	53: 'CAST',
	54: 'PRELU',
	55: 'MAXIMUM',
	57: 'MINIMUM',
	65: 'SLICE',
	70: 'EXPAND_DIMS',
	74: 'SUM',
	75: 'SQRT',
	76: 'RSQRT',
	83: 'PACK',
	97: 'LEAKY_RELU',
	117: 'HARD_SWISH',
	126: 'BATCH_MATMUL',
	150: 'GELU'
};

const OP_NAMES = new Map<number, string>([
	...Object.entries(OTHER_OPS).map(([code, name]) => [Number(code), name] as [number, string]),
	...Object.entries(OPCODE).map(([name, code]) => [code, name] as [number, string])
]);

/** TFLite builtin operator name of an opcode ("op 42" when this client does not know it). */
export function opName(code: number): string {
	return OP_NAMES.get(code) ?? `op ${code}`;
}

/** What the fit check needs to know about a board. */
export interface FitTarget {
	board: string;
	/** RAM for a RAM-slot blob and the arena together. */
	poolBytes: number;
	/** Largest blob the flash slot holds; 0 = no flash slot. */
	flashSlotBytes: number;
	ops: readonly number[];
	/** The loader's table sizes (more tensors or ops: TOO_MANY); unknown when absent. */
	maxTensors?: number;
	maxOps?: number;
}

/**
 * What a board says of itself in its handshake (the protocol's HelloInfo has these fields; declared
 * here so the model layer does not depend on the protocol).
 */
export interface BoardFacts {
	board: string;
	poolBytes: number;
	flashBytes: number;
	storage: { flash: boolean };
	ops: readonly number[];
}

export function targetFromHello(hello: BoardFacts): FitTarget {
	return {
		board: hello.board,
		poolBytes: hello.poolBytes,
		flashSlotBytes: hello.storage.flash ? hello.flashBytes : 0,
		ops: hello.ops,
		// HELLO_OK does not report the loader's tables; a known board's profile does.
		...tableLimits(findProfile(hello.board))
	};
}

function tableLimits(p: BoardProfile | null): Pick<FitTarget, 'maxTensors' | 'maxOps'> {
	return p ? { maxTensors: p.maxTensors, maxOps: p.maxOps } : {};
}

export function targetFromProfile(profile: BoardProfile): FitTarget {
	return {
		board: profile.id,
		poolBytes: profile.poolBytes,
		flashSlotBytes: profile.flashSlotBytes,
		ops: profile.ops,
		...tableLimits(profile)
	};
}

export type FitSlot = 'ram' | 'flash';

export interface FitProblem {
	kind: 'op' | 'tables' | 'no-flash' | 'flash' | 'ram';
	/** A full sentence with a next step. */
	message: string;
	/** Bytes over the limit, for memory problems. */
	excessBytes?: number;
	/** The tensor most to blame (index in the blob), for memory problems. */
	tensor?: number;
	/** The ops at fault (indices in the blob's op list), for op problems. */
	ops?: number[];
	opcode?: number;
}

export interface FitReport {
	fits: boolean;
	board: string;
	model: string;
	slot: FitSlot;
	/** Blob bytes (what is uploaded). */
	modelBytes: number;
	/** Constant data (weights, biases) inside the blob. */
	weightBytes: number;
	/** Planned arena (activations). */
	arenaBytes: number;
	ram: { needed: number; available: number; blobBytes: number; arenaBytes: number };
	/** Null for a RAM upload. */
	flash: { needed: number; available: number } | null;
	ops: {
		present: { opcode: number; name: string; count: number }[];
		supported: { opcode: number; name: string }[];
		missing: { opcode: number; name: string; ops: number[] }[];
	};
	problems: FitProblem[];
	/** One or more sentences: the verdict, then the problems. */
	summary: string;
}

export interface FitOptions {
	/** Tensor names from the source model (e.g. a .tflite's), by blob tensor index. */
	tensorNames?: readonly (string | undefined)[];
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

function listIndices(ix: number[]): string {
	if (ix.length === 1) return `${ix[0]}`;
	return `${ix.slice(0, -1).join(', ')} and ${ix[ix.length - 1]}`;
}

/** Where a RAM slot needs room: the blob at the start of the pool, the arena after it, 16-aligned. */
function ramNeed(model: BlobModel, slot: FitSlot): number {
	return (slot === 'ram' ? align16(model.bytes.length) : 0) + model.arenaSize;
}

/** Checks `model` against a board; `slot` is where the blob would be kept. */
export function checkFit(
	model: BlobModel,
	target: FitTarget,
	slot: FitSlot = 'ram',
	options: FitOptions = {}
): FitReport {
	const blobBytes = model.bytes.length;
	const tensors = model.tensors;
	const label = (i: number): string => {
		const t = tensors[i]!;
		const name = options.tensorNames?.[i];
		const shape = t.shape.length === 0 ? 'scalar' : `[${t.shape.join('×')}]`;
		return `tensor ${i}${name ? ` '${name}'` : ''} (${t.type} ${shape}, ${formatBytes(t.byteSize)})`;
	};
	const usedBy = (i: number): string => {
		const k = model.ops.findIndex((o) => o.inputs.includes(i));
		return k < 0 ? '' : ` of op ${k} (${opName(model.ops[k]!.opcode)})`;
	};
	const largest = (storage: BlobTensor['storage']): number => {
		let best = -1;
		tensors.forEach((t, i) => {
			if (t.storage === storage && (best < 0 || t.byteSize > tensors[best]!.byteSize)) best = i;
		});
		return best;
	};
	const weightBytes = tensors
		.filter((t) => t.storage === 'constant')
		.reduce((a, t) => a + t.byteSize, 0);

	// Ops.
	const counts = new Map<number, number[]>();
	model.ops.forEach((o, k) => counts.set(o.opcode, [...(counts.get(o.opcode) ?? []), k]));
	const present = [...counts].map(([opcode, ix]) => ({
		opcode,
		name: opName(opcode),
		count: ix.length
	}));
	const missing = [...counts]
		.filter(([opcode]) => !target.ops.includes(opcode))
		.map(([opcode, ix]) => ({ opcode, name: opName(opcode), ops: ix }));
	const problems: FitProblem[] = missing.map((m) => ({
		kind: 'op',
		opcode: m.opcode,
		ops: m.ops,
		message: `${m.ops.length === 1 ? 'Op' : 'Ops'} ${listIndices(m.ops)} ${m.ops.length === 1 ? 'is' : 'are'} ${m.name}, which the firmware of "${target.board}" does not run; update the firmware or change the model.`
	}));

	// The loader's static tables.
	const tables: [string, number, number | undefined][] = [
		['tensors', tensors.length, target.maxTensors],
		['ops', model.ops.length, target.maxOps]
	];
	for (const [what, n, max] of tables) {
		if (max !== undefined && n > max) {
			problems.push({
				kind: 'tables',
				message: `The model has ${n} ${what}, but the firmware of "${target.board}" holds at most ${max}; use a board with more RAM or a smaller model.`
			});
		}
	}

	// Flash.
	let flash: FitReport['flash'] = null;
	if (slot === 'flash') {
		flash = { needed: blobBytes, available: target.flashSlotBytes };
		if (target.flashSlotBytes === 0) {
			problems.push({
				kind: 'no-flash',
				message: `The board "${target.board}" has no flash slot; upload to RAM instead.`
			});
		} else if (blobBytes > target.flashSlotBytes) {
			const excess = blobBytes - target.flashSlotBytes;
			const w = largest('constant');
			problems.push({
				kind: 'flash',
				excessBytes: excess,
				...(w >= 0 && { tensor: w }),
				message:
					`The model is ${formatBytes(blobBytes)} but the flash slot holds ${formatBytes(target.flashSlotBytes)}; it is ${formatBytes(excess)} too large.` +
					(w >= 0
						? ` The largest part is the weights${usedBy(w)}: ${label(w)}; make that layer smaller.`
						: '')
			});
		}
	}

	// RAM: the blob (RAM slot) and the arena share the pool.
	const ramBlob = slot === 'ram' ? align16(blobBytes) : 0;
	const needed = ramNeed(model, slot);
	const available = target.poolBytes;
	if (needed > available) {
		const excess = needed - available;
		const parts = slot === 'ram' ? `${formatBytes(blobBytes)} blob + ` : '';
		let message = `The model needs ${formatBytes(needed)} of RAM (${parts}${formatBytes(model.arenaSize)} arena) but the board has ${formatBytes(available)}; it is ${formatBytes(excess)} too large.`;
		let tensor = -1;
		const w = largest('constant');
		const a = largest('arena');
		if (slot === 'ram' && w >= 0 && ramBlob >= model.arenaSize) {
			tensor = w;
			const size = tensors[w]!.byteSize;
			message +=
				size > available
					? ` The weights${usedBy(w)}, ${label(w)}, alone exceed the board's ${formatBytes(available)} by ${formatBytes(size - available)}.`
					: ` The largest part is the weights${usedBy(w)}: ${label(w)}; make that layer smaller${target.flashSlotBytes > 0 && blobBytes <= target.flashSlotBytes && model.arenaSize <= available ? ', or keep the model in flash (it fits there)' : ''}.`;
		} else if (a >= 0) {
			tensor = a;
			const k = model.ops.findIndex((o) => o.outputs.includes(a));
			const by =
				k < 0 ? 'a model input' : `the output of op ${k} (${opName(model.ops[k]!.opcode)})`;
			message +=
				model.arenaSize > available
					? ` The arena alone (${formatBytes(model.arenaSize)}) exceeds the board's ${formatBytes(available)} by ${formatBytes(model.arenaSize - available)}; its largest tensor is ${label(a)}, ${by}.`
					: ` The largest activation is ${label(a)}, ${by}.`;
		}
		problems.push({ kind: 'ram', excessBytes: excess, ...(tensor >= 0 && { tensor }), message });
	}

	const fits = problems.length === 0;
	const where = slot === 'ram' ? 'RAM' : 'the flash slot';
	const pct = available > 0 ? Math.round((100 * needed) / available) : 0;
	const summary = fits
		? `"${model.name}" fits ${target.board} in ${where}: ${formatBytes(needed)} of ${formatBytes(available)} RAM (${pct} %) — blob ${formatBytes(blobBytes)}${slot === 'flash' ? ` in flash (slot ${formatBytes(target.flashSlotBytes)})` : ''}, arena ${formatBytes(model.arenaSize)}; all ${present.length} op types (${present.map((p) => p.name).join(', ')}) supported.`
		: `"${model.name}" does not fit ${target.board} (${where}). ${problems.map((p) => p.message).join(' ')}`;

	return {
		fits,
		board: target.board,
		model: model.name,
		slot,
		modelBytes: blobBytes,
		weightBytes,
		arenaBytes: model.arenaSize,
		ram: { needed, available, blobBytes: ramBlob, arenaBytes: model.arenaSize },
		flash,
		ops: {
			present,
			supported: target.ops.map((opcode) => ({ opcode, name: opName(opcode) })),
			missing
		},
		problems,
		summary
	};
}

/** Problems that make the board reject this model in `slot` (0 RAM, 1 flash); empty when it fits. */
export function fitProblems(model: BlobModel, hello: BoardFacts, slot: number): string[] {
	return checkFit(model, targetFromHello(hello), slot === 1 ? 'flash' : 'ram').problems.map(
		(p) => p.message
	);
}
