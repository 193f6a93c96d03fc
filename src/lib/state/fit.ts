// The fit check before an upload: does this model run on the connected board, and how much of its
// memory does it take? The rules are the model layer's (src/lib/model/fit-check.ts), shared with the CLI.
import type { BlobModel } from '$lib/model/format/blob-reader';
import type { HelloInfo } from '$lib/protocol';
import { fitProblems } from '$lib/model/fit/fit-check';

export type FitVerdict =
	| { fits: true; blobBytes: number; arenaBytes: number; ramNeeded: number; ramAvailable: number }
	| { fits: false; problems: string[] };

/** Verdict for a RAM upload (slot 0), the only slot the dashboard uses. */
export function fitVerdict(model: BlobModel, hello: HelloInfo): FitVerdict {
	const problems = fitProblems(model, hello, 0);
	if (problems.length > 0) return { fits: false, problems };
	const blobBytes = model.bytes.length;
	return {
		fits: true,
		blobBytes,
		arenaBytes: model.arenaSize,
		ramNeeded: blobBytes + model.arenaSize,
		ramAvailable: hello.poolBytes
	};
}
