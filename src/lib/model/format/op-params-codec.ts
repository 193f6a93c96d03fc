// The params bytes of each layout (docs/model-format.md §5 table): little-endian i32 / f32 fields in
// order; FULLY_CONNECTED int8 ends with n multipliers then n shifts.

import type { OpParams, ParamsLayout } from '../ops/op-params';

/** Fixed params size of a layout; for fc-int8, `n` = multiplier count. */
export function paramsSize(layout: ParamsLayout, n = 1): number {
	switch (layout) {
		case 'fc-int8':
			return 24 + 8 * n;
		case 'fc-float':
		case 'add-float':
		case 'quantize':
		case 'dequantize':
			return 8;
		case 'relu-int8':
			return 24;
		case 'none':
			return 0;
		case 'add-int8':
			return 48;
		case 'softmax-int8':
			return 12;
		case 'softmax-float':
			return 4;
	}
}

/** The ordered fields of a layout, each an i32 ('i') or an f32 ('f'); fc-int8's arrays follow. */
const FIELDS: Record<
	Exclude<ParamsLayout, 'fc-int8'>,
	ReadonlyArray<readonly [string, 'i' | 'f']>
> = {
	'fc-float': [
		['actMin', 'f'],
		['actMax', 'f']
	],
	'add-float': [
		['actMin', 'f'],
		['actMax', 'f']
	],
	quantize: [
		['scale', 'f'],
		['zeroPoint', 'i']
	],
	dequantize: [
		['scale', 'f'],
		['zeroPoint', 'i']
	],
	'relu-int8': ['inputZp', 'outputZp', 'multiplier', 'shift', 'actMin', 'actMax'].map(
		(k) => [k, 'i'] as const
	),
	none: [],
	'add-int8': [
		'input1Offset',
		'input2Offset',
		'outputOffset',
		'leftShift',
		'input1Multiplier',
		'input1Shift',
		'input2Multiplier',
		'input2Shift',
		'outputMultiplier',
		'outputShift',
		'actMin',
		'actMax'
	].map((k) => [k, 'i'] as const),
	'softmax-int8': ['inputMultiplier', 'inputLeftShift', 'diffMin'].map((k) => [k, 'i'] as const),
	'softmax-float': [['beta', 'f']]
};

const FC_INT8_HEAD = ['inputOffset', 'filterOffset', 'outputOffset', 'actMin', 'actMax'] as const;

/** The params bytes (little-endian) of §5. */
export function encodeOpParams(p: OpParams): Uint8Array {
	if (p.layout === 'fc-int8') {
		const n = p.multipliers.length;
		const view = new DataView(new ArrayBuffer(paramsSize('fc-int8', n)));
		FC_INT8_HEAD.forEach((k, i) => view.setInt32(4 * i, p[k], true));
		view.setUint32(20, n, true);
		for (let c = 0; c < n; c++) {
			view.setInt32(24 + 4 * c, p.multipliers[c]!, true);
			view.setInt32(24 + 4 * n + 4 * c, p.shifts[c]!, true);
		}
		return new Uint8Array(view.buffer);
	}
	const fields = FIELDS[p.layout];
	const view = new DataView(new ArrayBuffer(fields.length * 4));
	const record = p as unknown as Record<string, number>;
	fields.forEach(([k, t], i) => {
		if (t === 'f') view.setFloat32(4 * i, record[k]!, true);
		else view.setInt32(4 * i, record[k]!, true);
	});
	return new Uint8Array(view.buffer);
}

/**
 * Parses params bytes of a known layout. Returns null when `size` is not the layout's size (for
 * fc-int8: < 24, or ≠ 24 + 8n). `view` spans the whole blob; `offset` is absolute.
 */
export function decodeOpParams(
	layout: ParamsLayout,
	view: DataView,
	offset: number,
	size: number
): OpParams | null {
	if (layout === 'fc-int8') {
		if (size < 24) return null;
		const n = view.getUint32(offset + 20, true);
		if (n < 1 || size !== paramsSize('fc-int8', n)) return null;
		const head = FC_INT8_HEAD.map((_, i) => view.getInt32(offset + 4 * i, true));
		const multipliers = new Int32Array(n);
		const shifts = new Int32Array(n);
		for (let c = 0; c < n; c++) {
			multipliers[c] = view.getInt32(offset + 24 + 4 * c, true);
			shifts[c] = view.getInt32(offset + 24 + 4 * n + 4 * c, true);
		}
		const [inputOffset, filterOffset, outputOffset, actMin, actMax] = head as [
			number,
			number,
			number,
			number,
			number
		];
		return {
			layout,
			inputOffset,
			filterOffset,
			outputOffset,
			actMin,
			actMax,
			multipliers,
			shifts
		};
	}
	const fields = FIELDS[layout];
	if (size !== fields.length * 4) return null;
	const record: Record<string, number | string> = { layout };
	fields.forEach(([k, t], i) => {
		record[k] =
			t === 'f' ? view.getFloat32(offset + 4 * i, true) : view.getInt32(offset + 4 * i, true);
	});
	return record as unknown as OpParams;
}
