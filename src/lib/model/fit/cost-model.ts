// A per-op cost model of the TinyTwin firmware (issue 10): how many instructions (Cortex-M4) or
// cycles (ATmega2560) one inference of a blob takes, from each op's kind and shapes alone — no board
// needed. Each op does `macs` inner-loop steps (multiply–accumulates of the matrix ops, window steps
// of the pools, input elements of MEAN and SOFTMAX) and writes `elements` outputs (a requantize, a
// lookup or a copy each). Per target:
//
//   cost = perInference + Σ_ops (perOp + mac[class] × macs + element[class] × elements)
//
// where an op's class is its kind and the type of its first input ("FULLY_CONNECTED:int8",
// "ADD:float32"), with ":broadcast" for an elementwise op whose inputs differ in shape: the float,
// int8 and broadcasting kernels are different code. The coefficients are fitted on the
// emulated boards by bench/cost-calibrate.ts and committed in cost-coefficients.ts; a class the
// calibration never saw uses the target's `fallback` (the median of the fitted classes).
import type { BlobOp, BlobTensor } from '../format/blob-reader';
import type { OpKind, TensorType } from '../ir/ir';

/** The emulated targets the model is calibrated on. */
export type CostTarget = 'cortex-m4' | 'avr';

/** What the model needs of a blob (a BlobModel has it; tests build it by hand). */
export interface CostModelInput {
	tensors: readonly Pick<BlobTensor, 'type' | 'shape'>[];
	ops: readonly Pick<BlobOp, 'kind' | 'inputs' | 'outputs' | 'params'>[];
}

/** The work of one op. */
export interface OpWork {
	kind: OpKind;
	/** Element type of the op's first input (of its output when it has none). */
	type: TensorType;
	/** An elementwise op (ADD, SUB, MUL) whose two inputs differ in shape. */
	broadcast: boolean;
	macs: number;
	elements: number;
}

export interface ClassCoefficients {
	/** Per inner-loop step. */
	mac: number;
	/** Per output element. */
	element: number;
}

export interface TargetCoefficients {
	/** 'instructions' on the Cortex-M4 (QEMU -icount), 'cycles' on the ATmega2560 (simavr). */
	unit: 'instructions' | 'cycles';
	/** model_invoke's own cost, whatever the model. */
	perInference: number;
	/** Dispatch and set-up of one op. */
	perOp: number;
	/** By op class, "KIND:type". */
	classes: Readonly<Record<string, ClassCoefficients>>;
	/** For a class the calibration did not measure. */
	fallback: ClassCoefficients;
	/** Relative error on the workloads held out of the fit (|estimate − measured| / measured). */
	error?: { median: number; max: number; heldOut: number };
}

const count = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);
const last = (shape: readonly number[], k = 1) => shape[shape.length - k] ?? 1;

/** The work of op `op` of `model`. */
export function opWork(model: CostModelInput, op: CostModelInput['ops'][number]): OpWork {
	const t = (i: number | null | undefined) => (i == null ? undefined : model.tensors[i]);
	const in0 = t(op.inputs[0]);
	const in1 = t(op.inputs[1]);
	const out = t(op.outputs[0])!;
	const elements = count(out.shape);
	const params = op.params as unknown as Record<string, number>;
	let macs = 0;
	switch (op.kind) {
		case 'FULLY_CONNECTED':
			// weights [units, depth]: each output sums depth products.
			macs = elements * last(in1!.shape);
			break;
		case 'CONV_2D':
			// filter [Cout, KH, KW, Cin]
			macs = elements * count(in1!.shape.slice(1));
			break;
		case 'DEPTHWISE_CONV_2D':
			// filter [1, KH, KW, Cout]
			macs = elements * in1!.shape[1]! * in1!.shape[2]!;
			break;
		case 'BATCH_MATMUL':
			// lhs [..., rows, depth], or [..., depth, rows] with adj_x.
			macs = elements * (params.adjX ? last(in0!.shape, 2) : last(in0!.shape));
			break;
		case 'AVERAGE_POOL_2D':
		case 'MAX_POOL_2D':
			macs = elements * params.filterH! * params.filterW!;
			break;
		case 'MEAN':
		case 'SOFTMAX':
			macs = count(in0!.shape);
			break;
		default:
			macs = 0;
	}
	const broadcast =
		(op.kind === 'ADD' || op.kind === 'SUB' || op.kind === 'MUL') &&
		in0 !== undefined &&
		in1 !== undefined &&
		in0.shape.join() !== in1.shape.join();
	return { kind: op.kind, type: (in0 ?? out).type, broadcast, macs, elements };
}

/** "KIND:type", the key of the coefficients. */
export function costClass(w: Pick<OpWork, 'kind' | 'type' | 'broadcast'>): string {
	return `${w.kind}:${w.type}${w.broadcast ? ':broadcast' : ''}`;
}

export interface CostEstimate {
	unit: TargetCoefficients['unit'];
	/** Instructions or cycles per inference. */
	total: number;
	/** Each op's share (perInference is not in any). */
	ops: { class: string; macs: number; elements: number; cost: number; calibrated: boolean }[];
}

/** Instructions or cycles of one inference of `model` under `c`. */
export function estimateCost(model: CostModelInput, c: TargetCoefficients): CostEstimate {
	const ops = model.ops.map((op) => {
		const w = opWork(model, op);
		const key = costClass(w);
		const k = c.classes[key];
		const use = k ?? c.fallback;
		return {
			class: key,
			macs: w.macs,
			elements: w.elements,
			cost: c.perOp + use.mac * w.macs + use.element * w.elements,
			calibrated: k !== undefined
		};
	});
	return { unit: c.unit, total: c.perInference + ops.reduce((a, o) => a + o.cost, 0), ops };
}

/**
 * The model's features as the calibration fits them: [1, ops, then per class Σmacs and Σelements]
 * for the classes of `classes` (in that order) — cost is the dot product with
 * [perInference, perOp, mac₀, element₀, mac₁, element₁, …].
 */
export function costFeatures(model: CostModelInput, classes: readonly string[]): number[] {
	const row = new Array<number>(2 + 2 * classes.length).fill(0);
	row[0] = 1;
	row[1] = model.ops.length;
	for (const op of model.ops) {
		const w = opWork(model, op);
		const k = classes.indexOf(costClass(w));
		if (k < 0) continue;
		row[2 + 2 * k]! += w.macs;
		row[3 + 2 * k]! += w.elements;
	}
	return row;
}
