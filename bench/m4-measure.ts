// Instructions per inference on the Cortex-M4 under QEMU (mps2-an386, -icount shift=0: one
// instruction per ns of virtual time): INFER_OK's ticks (25 MHz FPGAIO counter, 40 instructions
// each) around model_invoke, the mean over a batch, median of `repeats` batches. Shared by
// bench/ops-m4.ts and bench/cost-calibrate.ts.
import type { Session } from '../src/lib/protocol';

export const INSTRUCTIONS_PER_TICK = 40;

export const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface M4Workload {
	name: string;
	blob: Uint8Array;
	count: number;
	inputBytes: number;
	outputBytes: number;
	inputs: Uint8Array;
	/** The outputs the board must give, byte for byte; absent: not checked. */
	want?: Uint8Array;
}

/** Uploads `w` and returns its mean instructions per inference (median of `repeats` batches). */
export async function instructionsPerInference(
	s: Session,
	w: M4Workload,
	repeats = 3
): Promise<number> {
	await s.upload(w.blob);
	const means: number[] = [];
	for (let r = 0; r < repeats; r++) {
		const out = await s.infer(w.inputs, {
			count: w.count,
			inputBytes: w.inputBytes,
			outputBytes: w.outputBytes
		});
		if (w.want && !Buffer.from(out.outputs).equals(Buffer.from(w.want))) {
			throw new Error(`${w.name}: the M4's outputs differ from the expected ones; not measuring.`);
		}
		means.push((out.ticks.reduce((a, b) => a + b, 0) / out.ticks.length) * INSTRUCTIONS_PER_TICK);
	}
	return median(means);
}
