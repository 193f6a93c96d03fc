// Tensors of a point: made from the scalar fields of a run saved before tensors were kept (schema
// v2, JSON export v1), and turned into / back from plain JSON arrays for the export.
import type { IoType, PointTensors, RunIo, TensorValue } from './schema';

/** The axes of the demos' runs when schema v2 was current (a migration's frozen facts). */
const V2_DEMO_AXES: Record<string, Omit<RunIo, 'kind'>> = {
	sine: { xLabel: 'x', yLabel: 'sin x' },
	mpg: { xLabel: 'horsepower', xUnit: 'hp', yLabel: 'fuel economy', yUnit: 'MPG' }
};

/** What a run saved before v3 (one scalar in, one out) plots: its demo's axes, or generic ones. */
export function scalarRunIo(demo: string | null): RunIo {
	return {
		kind: 'regression',
		...(V2_DEMO_AXES[demo ?? ''] ?? { xLabel: 'input', yLabel: 'output' })
	};
}

function scalarTensor(raw: number, real: number, type: 'int8' | 'float32'): TensorValue {
	return {
		type,
		shape: [1],
		raw: type === 'int8' ? Int8Array.of(raw) : Float32Array.of(raw),
		real: Float64Array.of(real),
		quant: null
	};
}

const isInt8 = (raw: number, real: number) =>
	Number.isInteger(raw) && raw >= -128 && raw <= 127 && raw !== real;

/**
 * The tensors of a one-scalar-in, one-scalar-out point from the fields it kept. The board and
 * expectation outputs keep their raw and real values exactly; their type is int8 where a raw value
 * is an int8 integer that differs from its real value, else float32 (the float-I/O models store
 * the float itself); the quantization was not recorded (null). The input was kept as its real
 * value only: its tensor holds that value (float32 raw, real exact).
 */
export function scalarPointTensors(p: {
	x: number;
	truth: number | null;
	deviceQ: number;
	device: number;
	expectedQ: number;
	expected: number;
	float: number;
}): PointTensors {
	const type = isInt8(p.deviceQ, p.device) || isInt8(p.expectedQ, p.expected) ? 'int8' : 'float32';
	return {
		inputs: [scalarTensor(p.x, p.x, 'float32')],
		board: [scalarTensor(p.deviceQ, p.device, type)],
		expected: [scalarTensor(p.expectedQ, p.expected, type)],
		float: [Float64Array.of(p.float)],
		truth: p.truth === null ? null : Float64Array.of(p.truth)
	};
}

/** JSON.stringify replacer: typed arrays as plain arrays (NaN becomes null, as JSON has no NaN). */
export function typedArraysAsArrays(_key: string, value: unknown): unknown {
	return ArrayBuffer.isView(value) && !(value instanceof DataView)
		? Array.from(value as unknown as ArrayLike<number>)
		: value;
}

const TYPES: readonly IoType[] = ['int8', 'int32', 'float32'];

function numbers(v: unknown, what: string, fail: (why: string) => Error): number[] {
	if (!Array.isArray(v)) throw fail(`${what} is not an array`);
	return v.map((x, i) => {
		if (x === null) return NaN;
		if (typeof x !== 'number') throw fail(`${what}[${i}] is not a number`);
		return x;
	});
}

function tensorFromJson(v: unknown, what: string, fail: (why: string) => Error): TensorValue {
	const t = v as Record<string, unknown> | null;
	if (typeof t !== 'object' || t === null) throw fail(`${what} is not a tensor`);
	const type = t.type as IoType;
	if (!TYPES.includes(type)) throw fail(`${what} has an unknown type`);
	const shape = numbers(t.shape, `${what}.shape`, fail);
	const raw = numbers(t.raw, `${what}.raw`, fail);
	const real = numbers(t.real, `${what}.real`, fail);
	if (raw.length !== real.length || raw.length !== shape.reduce((a, b) => a * b, 1)) {
		throw fail(`${what}'s values do not match its shape`);
	}
	const q = t.quant as { scale?: unknown; zeroPoint?: unknown } | null;
	const quant =
		q && typeof q.scale === 'number' && typeof q.zeroPoint === 'number'
			? { scale: q.scale, zeroPoint: q.zeroPoint }
			: null;
	return {
		type,
		shape,
		raw:
			type === 'int8'
				? Int8Array.from(raw)
				: type === 'int32'
					? Int32Array.from(raw)
					: Float32Array.from(raw),
		real: Float64Array.from(real),
		quant
	};
}

/** A point's tensors from the JSON export; `fail` makes the error for a malformed field. */
export function tensorsFromJson(
	v: unknown,
	what: string,
	fail: (why: string) => Error
): PointTensors {
	const t = v as Record<string, unknown> | null;
	if (typeof t !== 'object' || t === null) throw fail(`${what} has no tensors`);
	const list = (k: string) => {
		const a = t[k];
		if (!Array.isArray(a)) throw fail(`${what}.${k} is not a list`);
		return a;
	};
	return {
		inputs: list('inputs').map((x, i) => tensorFromJson(x, `${what}.inputs[${i}]`, fail)),
		board: list('board').map((x, i) => tensorFromJson(x, `${what}.board[${i}]`, fail)),
		expected: list('expected').map((x, i) => tensorFromJson(x, `${what}.expected[${i}]`, fail)),
		float: list('float').map((x, i) => Float64Array.from(numbers(x, `${what}.float[${i}]`, fail))),
		truth: t.truth === null ? null : Float64Array.from(numbers(t.truth, `${what}.truth`, fail))
	};
}
