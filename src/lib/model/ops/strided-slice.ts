// STRIDED_SLICE (TFLite builtin 45), for any element type (a copy). begin/end/strides and the masks
// are read at import and resolved per input axis exactly as TFLM's reference does at run time
// (strided_slice_logic.h StridedSliceStartForAxis / StridedSliceEndForAxis: negative indices wrap
// once, then clamp; begin_mask/end_mask override afterwards; a shrunk axis takes one element), then
// folded into [begin, stride, count] per axis. The output walks the axes row-major:
// out[…] = in[begin_k + i_k·stride_k]. Params hold the 4 axes of the input padded to rank 4 (leading
// axes [0, 1, 1]). TFLM ignores ellipsis_mask, new_axis_mask and offset, so the importer refuses
// them unless they change nothing. Firmware: kernels/strided_slice.cpp.

import { elementSize } from '../ir/ir';
import { pad4, shapeText, strides4 } from './common';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface StridedSliceOp {
	kind: 'STRIDED_SLICE';
	inputs: [number];
	outputs: [number];
	/** Per input axis: first index (in range), step (≠ 0) and element count (≥ 1). */
	begin: number[];
	strides: number[];
	counts: number[];
}

export interface StridedSliceParams {
	layout: 'strided-slice';
	begin0: number;
	stride0: number;
	count0: number;
	begin1: number;
	stride1: number;
	count1: number;
	begin2: number;
	stride2: number;
	count2: number;
	begin3: number;
	stride3: number;
	count3: number;
}

const FIELDS = [0, 1, 2, 3].flatMap((k) => [`begin${k}`, `stride${k}`, `count${k}`]);
const STRIDED_SLICE = layout<StridedSliceParams>('strided-slice', FIELDS);

/** TFLite StridedSliceOptions: begin_mask (0), end_mask (1), ellipsis_mask (2), new_axis_mask (3),
 * shrink_axis_mask (4), offset (5). */
const OPTIONS_TYPE = 32;

type Axis = [begin: number, stride: number, count: number];

function axesOf(p: StridedSliceParams): Axis[] {
	const r = p as unknown as Record<string, number>;
	return [0, 1, 2, 3].map((k) => [r[`begin${k}`]!, r[`stride${k}`]!, r[`count${k}`]!]);
}

export interface SliceSpec {
	begin: readonly number[];
	end: readonly number[];
	strides: readonly number[];
	beginMask: number;
	endMask: number;
	shrinkMask: number;
}

const clamp = (v: number, lo: number, hi: number) => (hi < v ? hi : v < lo ? lo : v);

/**
 * One axis as TFLM's reference resolves it at run time: start and stop, then the number of
 * iterations of `for (i = start; stride > 0 ? i < stop : i > stop; i += stride)`.
 */
export function resolveAxis(s: SliceSpec, axis: number, dim: number): Axis {
	const stride = s.strides[axis]!;
	const bit = 1 << axis;
	let start = s.begin[axis]!;
	if (start < 0) start += dim;
	start = stride > 0 ? clamp(start, 0, dim) : clamp(start, -1, dim - 1);
	if (s.beginMask & bit) start = stride > 0 ? 0 : dim - 1;
	let stop: number;
	if (s.shrinkMask & bit) stop = start >= dim ? start : start + 1;
	else {
		stop = s.end[axis]!;
		if (stop < 0) stop += dim;
		stop = stride > 0 ? clamp(stop, 0, dim) : clamp(stop, -1, dim - 1);
		if (s.endMask & bit) stop = stride > 0 ? dim : -1;
	}
	const count = Math.max(0, Math.ceil((stop - start) / stride));
	return [start, stride, count];
}

export const stridedSlice = defineOp<StridedSliceOp, StridedSliceParams>({
	kind: 'STRIDED_SLICE',
	opcode: 45,
	arity: { inputs: [1, 1] },
	layouts: [STRIDED_SLICE],
	layoutFor: () => 'strided-slice',
	params(_model, op) {
		const lead = 4 - op.begin.length;
		const r: Record<string, number | string> = { layout: 'strided-slice' };
		for (let k = 0; k < 4; k++) {
			const a = k - lead;
			r[`begin${k}`] = a < 0 ? 0 : op.begin[a]!;
			r[`stride${k}`] = a < 0 ? 1 : op.strides[a]!;
			r[`count${k}`] = a < 0 ? 1 : op.counts[a]!;
		}
		return r as unknown as StridedSliceParams;
	},
	check({ inputs, outputs, badOp }) {
		if (outputs[0]!.type !== inputs[0]!.type) badOp('input and output differ in type');
	},
	checkParams(p, { inputs, outputs }) {
		const d = pad4(inputs[0]!.shape);
		const axes = axesOf(p);
		for (let k = 0; k < 4; k++) {
			const [begin, stride, count] = axes[k]!;
			const last = begin + (count - 1) * stride;
			if (
				!Number.isInteger(count) ||
				count < 1 ||
				stride === 0 ||
				begin < 0 ||
				begin >= d[k]! ||
				last < 0 ||
				last >= d[k]!
			)
				return `padded axis ${k} ([begin ${begin}, stride ${stride}, count ${count}]) leaves [0, ${d[k]})`;
		}
		// The output is the counts, less some axes of 1 (shrunk axes).
		const counts = axes.map((a) => a[2]).filter((c) => c !== 1);
		const dims = outputs[0]!.shape.filter((c) => c !== 1);
		return counts.length === dims.length && counts.every((c, k) => c === dims[k])
			? null
			: `counts [${axes.map((a) => a[2]).join(', ')}] do not give the output ${shapeText(outputs[0]!.shape)}`;
	},
	bind({ inputs, outputs, params: p, i8 }) {
		const x = inputs[0]!;
		const size = elementSize(x.type);
		const [a, y] = [i8(x), i8(outputs[0]!)];
		const s = strides4(pad4(x.shape));
		const [A, B, C, D] = axesOf(p) as [Axis, Axis, Axis, Axis];
		return () => {
			let at = 0;
			for (let i = 0; i < A[2]; i++)
				for (let j = 0; j < B[2]; j++)
					for (let k = 0; k < C[2]; k++)
						for (let l = 0; l < D[2]; l++) {
							const e =
								(A[0] + i * A[1]) * s[0] +
								(B[0] + j * B[1]) * s[1] +
								(C[0] + k * C[1]) * s[2] +
								(D[0] + l * D[1]);
							for (let b = 0; b < size; b++) y[at++] = a[e * size + b]!;
						}
		};
	},
	tflite: {
		builtins: [45],
		inputs: [4, 4],
		import(c) {
			const name = `Operator ${c.index} (STRIDED_SLICE)`;
			const x = c.inputs[0]!;
			const shape = c.shape(x);
			const rank = shape.length;
			const [begin, end, strides] = [1, 2, 3].map(
				(k) =>
					c.constInts(c.inputs[k]!) ??
					c.unsupported(
						`${name} takes begin, end or strides from a tensor computed at run time; TinyTwin reads them at import. Slice with constant indices and convert again.`
					)
			) as [number[], number[], number[]];
			if (begin.length !== rank || end.length !== rank || strides.length !== rank) {
				c.unsupported(
					`${name} gives ${begin.length} begin, ${end.length} end and ${strides.length} stride entries for a rank-${rank} input; TensorFlow Lite Micro needs one of each per axis. Export the model again from the TensorFlow Lite converter.`
				);
			}
			if (strides.some((s) => s === 0)) {
				c.unsupported(`${name} has a stride of 0. Use non-zero strides and convert again.`);
			}
			const o = c.options(OPTIONS_TYPE);
			const spec: SliceSpec = {
				begin,
				end,
				strides,
				beginMask: o ? o.i32(0, 0) : 0,
				endMask: o ? o.i32(1, 0) : 0,
				shrinkMask: o ? o.i32(4, 0) : 0
			};
			const ellipsis = o ? o.i32(2, 0) : 0;
			const newAxis = o ? o.i32(3, 0) : 0;
			if (newAxis !== 0 || (o && o.bool(5))) {
				c.unsupported(
					`${name} uses ${newAxis !== 0 ? 'new_axis_mask (tf.newaxis inside a slice)' : 'offset (end relative to begin)'}, which TensorFlow Lite Micro ignores, so it would compute something else. Slice without it (use tf.expand_dims for new axes) and convert again.`
				);
			}
			const axes = shape.map((d, a) => resolveAxis(spec, a, d));
			// An ellipsis is harmless when the axis it stands for is taken whole anyway (TFLM ignores
			// the mask and slices with the indices given).
			const whole = (a: number) =>
				axes[a]![0] === 0 &&
				axes[a]![1] === 1 &&
				axes[a]![2] === shape[a] &&
				!(spec.shrinkMask & (1 << a));
			for (let a = 0; a < 32; a++) {
				if (ellipsis & (1 << a) && !(a < rank && whole(a))) {
					c.unsupported(
						`${name} uses an ellipsis (…) that TensorFlow Lite Micro ignores, so it would compute something else. Slice with one index per axis and convert again.`
					);
				}
			}
			axes.forEach(([, , count], a) => {
				if (count < 1) {
					c.unsupported(
						`${name} selects no element along axis ${a}${spec.shrinkMask & (1 << a) ? ' (a shrunk axis with a negative stride or an index past the end)' : ''}. Fix the slice and convert again.`
					);
				}
			});
			const outShape = c.shape(c.outputs[0]!);
			const kept = axes.filter((_, a) => !(spec.shrinkMask & (1 << a))).map((a) => a[2]);
			if (kept.length !== outShape.length || kept.some((n, k) => n !== outShape[k])) {
				c.unsupported(
					`${name} gives ${shapeText(kept)} from ${shapeText(shape)}, but its output tensor is ${shapeText(outShape)}. Export the model again from the TensorFlow Lite converter.`
				);
			}
			return {
				kind: 'STRIDED_SLICE',
				inputs: [x],
				outputs: [c.outputs[0]!],
				begin: axes.map((a) => a[0]),
				strides: axes.map((a) => a[1]),
				counts: axes.map((a) => a[2])
			};
		}
	}
});
