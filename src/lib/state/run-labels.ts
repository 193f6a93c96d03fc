// How a saved run names its quantities on the Runs page: axis titles with units from the run's io
// ("horsepower (hp)", "fuel economy (MPG)"), and what "the board equals its expectation" means for
// the output types the run actually recorded.
import type { RunIo, RunPoint } from '$lib/storage';

/** "fuel economy (MPG)", or the label alone when it has no unit. */
export function withUnit(label: string, unit?: string): string {
	return unit ? `${label} (${unit})` : label;
}

/** The x and y axis titles of a run's charts. */
export function runAxisTitles(io: RunIo): { x: string; y: string } {
	return { x: withUnit(io.xLabel, io.xUnit), y: withUnit(io.yLabel, io.yUnit) };
}

/**
 * The label of the bit-exact tile, from the board's output tensors of the run's first point:
 * "Board int8 = expected int8" when every output is int8, "Board float32 = expected float32" for a
 * float-output model, "Board = expectation" for mixed types or a run without points.
 */
export function agreementLabel(points: readonly RunPoint[]): string {
	const types = new Set(points[0]?.tensors.board.map((t) => t.type) ?? []);
	if (types.size !== 1) return 'Board = expectation';
	const [type] = types;
	return `Board ${type} = expected ${type}`;
}
