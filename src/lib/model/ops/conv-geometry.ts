// Window geometry shared by CONV_2D, DEPTHWISE_CONV_2D and the 2-D pools: TFLite's SAME/VALID output
// sizes and padding (tensorflow/lite/kernels/padding.h, ComputePaddingHeightWidth), and the load-time
// rule that keeps every window over the input so the kernels' index arithmetic stays small.

export type Padding = 'same' | 'valid';

/** TFLite Padding enum byte (schema: SAME = 0, VALID = 1). */
export function paddingOf(code: number): Padding | null {
	return code === 0 ? 'same' : code === 1 ? 'valid' : null;
}

/** (filter − 1)·dilation + 1: the input span one window covers. */
export const effectiveFilter = (filter: number, dilation: number) => (filter - 1) * dilation + 1;

/**
 * GetWindowedOutputSize: SAME → ceil(in / stride); VALID → floor((in − eff + stride) / stride).
 * null when VALID leaves no window (TFLite's error).
 */
export function outputSize(
	padding: Padding,
	inSize: number,
	filter: number,
	stride: number,
	dilation: number
): number | null {
	const eff = effectiveFilter(filter, dilation);
	const n =
		padding === 'same'
			? Math.floor((inSize + stride - 1) / stride)
			: Math.floor((inSize + stride - eff) / stride);
	return n >= 1 ? n : null;
}

/**
 * The leading (top / left) padding TFLite's kernels use: total = max(0, (out − 1)·stride + eff − in),
 * pad = floor(total / 2); the odd element goes to the trailing side, which the kernels never read
 * (they skip taps outside the input). VALID gives 0 because out is already small enough.
 */
export function leadingPad(
	inSize: number,
	filter: number,
	stride: number,
	dilation: number,
	outSize: number
): number {
	const total = Math.max(0, (outSize - 1) * stride + effectiveFilter(filter, dilation) - inSize);
	return Math.floor(total / 2);
}

/** One spatial axis of an op: input and output extent, window, stride, dilation, leading pad. */
export interface Axis {
	inSize: number;
	outSize: number;
	filter: number;
	stride: number;
	dilation: number;
	pad: number;
}

/** Largest leading pad a blob may carry (keeps window origins within ±2^17). */
export const MAX_PAD = 65_535;

/**
 * The blob's window rule (docs/model-format.md §7, BAD_PARAMS), per axis: stride ≥ 1, dilation ≥ 1,
 * 0 ≤ pad ≤ 65 535, the first window reaches the input (pad ≤ eff − 1), the last window starts inside
 * it ((out − 1)·stride − pad ≤ in − 1), and it ends at most pad + 1 past it (the trailing padding
 * TFLite's SAME gives). So every window holds at least one input element (an AVERAGE_POOL_2D never
 * divides by zero) and every index the kernels form lies in (−2^17, 2^18). Returns a reason or null.
 */
export function axisRule(name: string, a: Axis): string | null {
	if (!Number.isInteger(a.stride) || a.stride < 1) return `the ${name} stride ${a.stride} is < 1`;
	if (!Number.isInteger(a.dilation) || a.dilation < 1)
		return `the ${name} dilation ${a.dilation} is < 1`;
	if (!Number.isInteger(a.pad) || a.pad < 0 || a.pad > MAX_PAD)
		return `the ${name} padding ${a.pad} is outside [0, ${MAX_PAD}]`;
	const eff = effectiveFilter(a.filter, a.dilation);
	const lastStart = (a.outSize - 1) * a.stride - a.pad;
	if (a.pad > eff - 1 || lastStart > a.inSize - 1 || lastStart + eff - 1 > a.inSize + a.pad) {
		return `${a.outSize} ${name} windows of ${a.filter} (dilation ${a.dilation}, stride ${a.stride}, padding ${a.pad}) do not fit an input of ${a.inSize}`;
	}
	return null;
}

/**
 * A feature map's dims as NHWC. Rank 4 as it is; rank 3 [N, W, C] is [N, 1, W, C] — how TensorFlow's
 * Conv1D, DepthwiseConv1D and 1-D pools expand their input (a RESHAPE the importer folds away leaves
 * the op the rank-3 side). The op checks reject other ranks before anything reads these.
 */
export function nhwc(s: readonly number[]): readonly [number, number, number, number] {
	return s.length === 3 ? [s[0]!, 1, s[1]!, s[2]!] : [s[0]!, s[1]!, s[2]!, s[3]!];
}

/** A feature-map rank the spatial ops read (3 or 4, see nhwc). */
export const featureRank = (s: readonly number[]) => s.length === 3 || s.length === 4;

/** OpDef.tflite.acceptsView for spatial ops: the same shape, or [N, 1, W, C] seen as [N, W, C]. */
export function acceptsNhwcView(declared: readonly number[], actual: readonly number[]): boolean {
	const same = (a: readonly number[], b: readonly number[]) =>
		a.length === b.length && a.every((d, i) => d === b[i]);
	return (
		same(declared, actual) ||
		(declared.length === 4 && actual.length === 3 && same(nhwc(actual), declared))
	);
}
