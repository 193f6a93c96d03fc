// Op records of a blob (docs/model-format.md §4, §5, §7), in the firmware loader's order, per op:
// UNSUPPORTED_OP; BAD_OP (record: ≤ 3 inputs, 1 output, index list, indices); OUT_OF_BOUNDS then
// MISALIGNED (params); BAD_OP (op: arity, absent inputs, types, shapes); BAD_PARAMS;
// NOT_TOPOLOGICAL (inputs not yet available, output not in the arena).

import { BlobError, BlobStatus, NONE_INDEX } from './blob-format';
import type { BlobTensor } from './blob-reader';
import { broadcastShape, OPCODE, sameShape, type OpKind } from '../ir/ir';
import { paramsLayout, type OpParams } from '../ops/op-params';
import { decodeOpParams } from './op-params-codec';

export interface BlobOp {
	opcode: number;
	kind: OpKind;
	/** Tensor indices; null for an absent optional input. */
	inputs: (number | null)[];
	outputs: number[];
	params: OpParams;
}

/** Largest int8 SOFTMAX row: keeps the Q12.19 sum of exps below 2^28 (reciprocal exponent ≤ 31). */
export const SOFTMAX_INT8_MAX_DEPTH = 511;

const KIND_BY_OPCODE = new Map<number, OpKind>(
	(Object.entries(OPCODE) as [OpKind, number][]).map(([k, code]) => [code, k])
);
const MAX_OP_INPUTS = 3;
/** Allowed input counts [min, max]; FULLY_CONNECTED may leave its bias slot out entirely. */
const ARITY: Record<OpKind, [number, number]> = {
	FULLY_CONNECTED: [2, 3],
	QUANTIZE: [1, 1],
	DEQUANTIZE: [1, 1],
	RELU: [1, 1],
	RELU6: [1, 1],
	ADD: [2, 2],
	SOFTMAX: [1, 1]
};

interface Context {
	view: DataView;
	header: {
		opCount: number;
		opsOffset: number;
		ioCount: number;
		dataOffset: number;
		dataSize: number;
		tensorCount: number;
	};
	tensors: BlobTensor[];
	inputs: number[];
	ioAt: (k: number) => number;
	supportedOps?: readonly number[] | undefined;
}

const inRange = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;

export function validateOps(ctx: Context): BlobOp[] {
	const { view: v, header: h, tensors } = ctx;
	const produced = new Set<number>(ctx.inputs);
	const ops: BlobOp[] = [];
	for (let j = 0; j < h.opCount; j++) {
		const at = h.opsOffset + j * 16;
		const opcode = v.getUint16(at, true);
		const kind = KIND_BY_OPCODE.get(opcode);
		if (kind === undefined || (ctx.supportedOps && !ctx.supportedOps.includes(opcode))) {
			throw new BlobError(
				BlobStatus.UNSUPPORTED_OP,
				j,
				`Op ${j} has opcode ${opcode}, which this board does not run; update the firmware or use other ops.`
			);
		}
		const badOp = (why: string): never => {
			throw new BlobError(BlobStatus.BAD_OP, j, `Op ${j} (${kind}) is invalid: ${why}.`);
		};
		// Record level: at most 3 inputs and exactly 1 output, inside the index list, indices exist
		// (0xFFFF marks an absent input; whether the op allows it is its own check below).
		const nIn = v.getUint8(at + 2);
		const nOut = v.getUint8(at + 3);
		const ioStart = v.getUint32(at + 4, true);
		if (nIn > MAX_OP_INPUTS || nOut !== 1) badOp(`it has ${nIn} inputs and ${nOut} outputs`);
		if (ioStart + nIn + nOut > h.ioCount) badOp('its tensor indices run past the index list');
		const inputs: (number | null)[] = [];
		for (let k = 0; k < nIn; k++) {
			const t = ctx.ioAt(ioStart + k);
			if (t === NONE_INDEX) inputs.push(null);
			else if (t >= h.tensorCount) badOp(`input ${k} refers to tensor ${t}, which does not exist`);
			else inputs.push(t);
		}
		const output = ctx.ioAt(ioStart + nIn);
		if (output >= h.tensorCount)
			badOp(`its output refers to tensor ${output}, which does not exist`);

		const paramsAt = v.getUint32(at + 8, true);
		const paramsSize = v.getUint32(at + 12, true);
		if (paramsAt + paramsSize > h.dataSize) {
			throw new BlobError(
				BlobStatus.OUT_OF_BOUNDS,
				j,
				`Op ${j} has params outside the data section.`
			);
		}
		if (paramsAt % 4 !== 0) {
			throw new BlobError(
				BlobStatus.MISALIGNED,
				j,
				`Op ${j} has params at offset ${paramsAt}, not a multiple of 4.`
			);
		}

		// Op level: arity, types and shapes (BAD_OP), then the params (BAD_PARAMS).
		const [minIn, maxIn] = ARITY[kind];
		if (nIn < minIn || nIn > maxIn) badOp(`it has ${nIn} inputs`);
		const optional = (k: number) => kind === 'FULLY_CONNECTED' && k === 2;
		inputs.forEach((t, k) => {
			if (t === null && !optional(k)) badOp(`input ${k} is absent`);
		});
		const tin = inputs.map((t) => (t === null ? null : tensors[t]!));
		const tout = tensors[output]!;
		checkShapes(kind, tin, tout, badOp);
		const layout = paramsLayout(kind, tin[0]!.type)!; // types agree once checkShapes passed
		const params = decodeOpParams(layout, v, h.dataOffset + paramsAt, paramsSize);
		const badParams = (why: string): never => {
			throw new BlobError(
				BlobStatus.BAD_PARAMS,
				j,
				`Op ${j} (${kind}) has invalid parameters: ${why}.`
			);
		};
		if (params === null) return badParams(`params_size ${paramsSize} does not match its layout`);
		checkParams(params, kind === 'FULLY_CONNECTED' ? tin[1]!.shape[0]! : 0, badParams);

		// Order: every input exists before the op runs; the output is an arena tensor.
		inputs.forEach((t, k) => {
			if (t !== null && tensors[t]!.storage !== 'constant' && !produced.has(t)) {
				throw new BlobError(
					BlobStatus.NOT_TOPOLOGICAL,
					j,
					`Op ${j} reads tensor ${t} (input ${k}) before any op or model input provides it.`
				);
			}
		});
		if (tout.storage !== 'arena') {
			throw new BlobError(
				BlobStatus.NOT_TOPOLOGICAL,
				j,
				`Op ${j} writes tensor ${output}, which is a constant.`
			);
		}
		produced.add(output);
		ops.push({ opcode, kind, inputs, outputs: [output], params });
	}
	return ops;
}

function checkShapes(
	kind: OpKind,
	tin: (BlobTensor | null)[],
	out: BlobTensor,
	badOp: (why: string) => never
): void {
	const x = tin[0]!;
	const isFloatOrInt8 = x.type === 'float32' || x.type === 'int8';
	switch (kind) {
		case 'FULLY_CONNECTED': {
			const w = tin[1]!;
			const bias = tin[2];
			if (!isFloatOrInt8 || w.type !== x.type || out.type !== x.type)
				badOp('input, weights and output must all be int8 or all float32');
			if (w.shape.length !== 2 || out.shape.length < 1) {
				badOp('weights must be [units, depth] and the output rank ≥ 1');
			}
			// TFLite flattens the input to [batches, depth], whatever its own shape.
			const [units, depth] = w.shape as [number, number];
			const xElems = x.byteSize / (x.type === 'int8' ? 1 : 4);
			const batches = out.byteSize / (out.type === 'int8' ? 1 : 4) / units;
			if (
				out.shape[out.shape.length - 1] !== units ||
				xElems % depth !== 0 ||
				xElems / depth !== batches
			) {
				badOp(
					`input [${x.shape.join(', ')}] and output [${out.shape.join(', ')}] do not hold ${units} units per ${depth}-element row`
				);
			}
			if (bias) {
				const biasType = x.type === 'int8' ? 'int32' : 'float32';
				if (bias.type !== biasType || bias.shape.length !== 1 || bias.shape[0] !== units)
					badOp(`the bias must be ${biasType} [${units}]`);
			}
			return;
		}
		case 'QUANTIZE':
			if (x.type !== 'float32' || out.type !== 'int8') badOp('it converts float32 to int8 only');
			break;
		case 'DEQUANTIZE':
			if (x.type !== 'int8' || out.type !== 'float32') badOp('it converts int8 to float32 only');
			break;
		case 'RELU':
		case 'RELU6':
		case 'SOFTMAX':
			if (!isFloatOrInt8 || out.type !== x.type)
				badOp('input and output must both be int8 or both float32');
			if (kind === 'SOFTMAX') {
				if (x.shape.length < 1) badOp('the input needs rank ≥ 1');
				const depth = x.shape[x.shape.length - 1]!;
				if (x.type === 'int8' && depth > SOFTMAX_INT8_MAX_DEPTH)
					badOp(`an int8 softmax row of ${depth} is longer than ${SOFTMAX_INT8_MAX_DEPTH}`);
			}
			break;
		case 'ADD': {
			const b = tin[1]!;
			if (!isFloatOrInt8 || b.type !== x.type || out.type !== x.type)
				badOp('both inputs and the output must be int8 or all float32');
			const shape = broadcastShape(x.shape, b.shape);
			if (shape === null || !sameShape(shape, out.shape))
				badOp(
					`[${x.shape.join(', ')}] + [${b.shape.join(', ')}] does not broadcast to [${out.shape.join(', ')}]`
				);
			return;
		}
	}
	if (!sameShape(x.shape, out.shape)) badOp('input and output shapes differ');
}

/** Value rules of each layout (what the kernels need to stay inside int32 and int8). */
function checkParams(p: OpParams, units: number, bad: (why: string) => never): void {
	const shiftOk = (s: number) => inRange(s, -31, 30);
	const zpOk = (zp: number) => inRange(zp, -128, 127);
	const offsetOk = (o: number) => inRange(o, -127, 128); // a negated int8 zero point
	const rangeOk = (lo: number, hi: number) => lo >= -128 && hi <= 127 && lo <= hi;
	switch (p.layout) {
		case 'fc-int8':
			if (p.multipliers.length !== 1 && p.multipliers.length !== units) {
				bad(`${p.multipliers.length} multipliers for ${units} units`);
			}
			if (!offsetOk(p.inputOffset) || !offsetOk(p.filterOffset) || !zpOk(p.outputOffset)) {
				bad('an offset is outside the int8 zero-point range');
			}
			if (!rangeOk(p.actMin, p.actMax))
				bad(`the activation range [${p.actMin}, ${p.actMax}] is not inside int8`);
			// TFLite's per-channel kernel assumes symmetric weights (it ignores their zero point).
			if (p.multipliers.length > 1 && p.filterOffset !== 0)
				bad('per-channel weights must be symmetric');
			if (!p.shifts.every(shiftOk)) bad('a shift is outside [−31, 30]');
			return;
		case 'fc-float':
		case 'add-float':
			if (!(p.actMin <= p.actMax)) bad(`the activation range [${p.actMin}, ${p.actMax}] is empty`);
			return;
		case 'quantize':
		case 'dequantize':
			if (!(p.scale > 0) || !Number.isFinite(p.scale) || !zpOk(p.zeroPoint)) {
				bad(`scale ${p.scale} or zero point ${p.zeroPoint} is invalid`);
			}
			return;
		case 'relu-int8':
			if (
				!zpOk(p.inputZp) ||
				!zpOk(p.outputZp) ||
				!shiftOk(p.shift) ||
				!rangeOk(p.actMin, p.actMax)
			) {
				bad('a zero point, the shift or the activation range is out of range');
			}
			return;
		case 'none':
			return;
		case 'add-int8':
			if (
				!offsetOk(p.input1Offset) ||
				!offsetOk(p.input2Offset) ||
				!zpOk(p.outputOffset) ||
				!inRange(p.leftShift, 0, 30) ||
				!rangeOk(p.actMin, p.actMax)
			) {
				bad('an offset, left_shift or the activation range is out of range');
			}
			// TFLite rescales with MultiplyByQuantizedMultiplierSmallerThanOneExp: shifts ≤ 0.
			if (![p.input1Shift, p.input2Shift, p.outputShift].every((x) => inRange(x, -31, 0))) {
				bad('a shift is outside [−31, 0]');
			}
			return;
		case 'softmax-int8': {
			// diff·2^left_shift must fit int32 for every admitted difference; diff 0 always passes.
			const ls = p.inputLeftShift;
			if (
				p.inputMultiplier < 0 ||
				!inRange(ls, 0, 30) ||
				p.diffMin > 0 ||
				p.diffMin < -(0x7fffffff >> ls)
			) {
				bad(
					`input_multiplier ${p.inputMultiplier}, input_left_shift ${ls} or diff_min ${p.diffMin} is out of range`
				);
			}
			return;
		}
		case 'softmax-float':
			if (!Number.isFinite(p.beta)) bad(`beta ${p.beta} is not finite`);
			return;
	}
}
