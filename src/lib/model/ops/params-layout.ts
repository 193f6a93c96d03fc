// The byte layout of an op's params in the data section (docs/model-format.md §5): named
// little-endian fields in order, each an i32 ('i') or an f32 ('f'), optionally followed by per-channel
// requantization arrays — `u32 n`, `n × i32 multiplier`, `n × i32 shift`. One generic codec serves
// every op module, so a layout is data (its field list), not code.

/** Requantization per output channel (n = 1: per-tensor). */
export interface ChannelArrays {
	multipliers: Int32Array;
	shifts: Int32Array;
}

export interface ParamsLayout<P extends { layout: string }> {
	name: P['layout'];
	/** Fixed fields, in byte order (4 bytes each). */
	fields: readonly (readonly [key: string, kind: 'i' | 'f'])[];
	/** Per-channel arrays follow the fields (the params then carry `multipliers` and `shifts`). */
	channels?: boolean;
}

/** Builds a layout from field names in byte order: `name` is an i32, `name:f` an f32. */
export function layout<P extends { layout: string }>(
	name: P['layout'],
	fields: readonly string[],
	opts: { channels?: boolean } = {}
): ParamsLayout<P> {
	return {
		name,
		fields: fields.map((f) =>
			f.endsWith(':f') ? ([f.slice(0, -2), 'f'] as const) : ([f, 'i'] as const)
		),
		...(opts.channels && { channels: true })
	};
}

/** Params size in bytes; `n` = channel count for layouts with channel arrays. */
export function paramsSize(l: ParamsLayout<{ layout: string }>, n = 1): number {
	return 4 * l.fields.length + (l.channels ? 4 + 8 * n : 0);
}

/** The params bytes (little-endian) of §5. */
export function encodeParams(
	l: ParamsLayout<{ layout: string }>,
	p: { layout: string } & Partial<ChannelArrays>
): Uint8Array {
	const n = l.channels ? p.multipliers!.length : 0;
	const view = new DataView(new ArrayBuffer(paramsSize(l, n)));
	const record = p as unknown as Record<string, number>;
	l.fields.forEach(([k, t], i) => {
		const value = record[k];
		if (typeof value !== 'number') throw new Error(`Params field ${k} of ${l.name} is missing.`);
		if (t === 'f') view.setFloat32(4 * i, value, true);
		else view.setInt32(4 * i, value, true);
	});
	if (l.channels) {
		const at = 4 * l.fields.length;
		view.setUint32(at, n, true);
		for (let c = 0; c < n; c++) {
			view.setInt32(at + 4 + 4 * c, p.multipliers![c]!, true);
			view.setInt32(at + 4 + 4 * n + 4 * c, p.shifts![c]!, true);
		}
	}
	return new Uint8Array(view.buffer);
}

/**
 * Parses params bytes of a known layout. Returns null when `size` is not the layout's size (with
 * channel arrays: n < 1 or size ≠ fields + 4 + 8n). `view` spans the whole blob; `offset` is absolute.
 */
export function decodeParams<P extends { layout: string }>(
	l: ParamsLayout<P>,
	view: DataView,
	offset: number,
	size: number
): P | null {
	const head = 4 * l.fields.length;
	const record: Record<string, unknown> = { layout: l.name };
	if (l.channels) {
		if (size < head + 4) return null;
		const n = view.getUint32(offset + head, true);
		if (n < 1 || size !== paramsSize(l, n)) return null;
		const multipliers = new Int32Array(n);
		const shifts = new Int32Array(n);
		for (let c = 0; c < n; c++) {
			multipliers[c] = view.getInt32(offset + head + 4 + 4 * c, true);
			shifts[c] = view.getInt32(offset + head + 4 + 4 * n + 4 * c, true);
		}
		record.multipliers = multipliers;
		record.shifts = shifts;
	} else if (size !== head) return null;
	l.fields.forEach(([k, t], i) => {
		record[k] =
			t === 'f' ? view.getFloat32(offset + 4 * i, true) : view.getInt32(offset + 4 * i, true);
	});
	return record as P;
}
