// The verdict at a glance, for a live compare and a saved run: green when every output byte of
// every point equals the int8 expectation ("Board = int8 reference: 1000/1000 bit-exact · max
// |board − float| 0.079"), red with the first disagreeing input otherwise. Pure.
import { formatFixed } from '$lib/format';
import type { RunIo, RunPoint } from '$lib/storage';
import type { CompareMetrics } from './metrics';

export interface Verdict {
	tone: 'ok' | 'bad' | 'none';
	/** The sentence shown; empty when there are no points yet. */
	text: string;
}

/** "x = 95 hp", "input 3 = 0.5": how the plotted x of a point is said. */
function sayX(io: RunIo, x: number): string {
	const unit = io.xUnit ? ` ${io.xUnit}` : '';
	return `${io.xLabel} = ${Number(x.toPrecision(6))}${unit}`;
}

/** What the board is held to: the int8 expectation, or "the expectation" for float outputs. */
function expectationName(points: readonly RunPoint[]): string {
	const types = points[0]?.tensors.board.map((t) => t.type) ?? [];
	return types.length > 0 && types.every((t) => t === 'float32')
		? 'reference kernels'
		: 'int8 reference';
}

export function verdict(
	metrics: CompareMetrics,
	points: readonly RunPoint[],
	io: RunIo,
	total = metrics.points
): Verdict {
	const n = metrics.points;
	if (n === 0) return { tone: 'none', text: '' };
	const of = n < total ? `${metrics.bitExact}/${n} so far` : `${metrics.bitExact}/${n}`;
	const name = expectationName(points);
	const m = metrics.firstMismatch;
	if (m) {
		const p = points.find((q) => q.index === m.index);
		const where = p ? `input ${m.index + 1} (${sayX(io, p.x)})` : `input ${m.index + 1}`;
		const out = (p?.tensors.board.length ?? 1) > 1 ? `output ${m.output + 1}` : 'output';
		const elem = (p?.tensors.board[m.output]?.raw.length ?? 1) > 1 ? `[${m.element}]` : '';
		return {
			tone: 'bad',
			text:
				`Board ≠ ${name} first at ${where}: ${out}${elem} is ${m.board}, expected ${m.expected}` +
				` · ${of} bit-exact`
		};
	}
	let tail = '';
	if (metrics.kind === 'regression') {
		const unit = io.yUnit ? ` ${io.yUnit}` : '';
		tail = ` · max |board − float| ${formatFixed(metrics.maxBoardVsFloat, 3)}${unit}`;
	} else if (metrics.kind === 'classification') {
		tail = ` · same class as the float reference on ${metrics.boardAgreesFloat}/${n}`;
	} else {
		tail = ` · same span as the float reference on ${metrics.spanAgreesFloat}/${n}`;
	}
	return { tone: 'ok', text: `Board = ${name}: ${of} bit-exact${tail}` };
}
