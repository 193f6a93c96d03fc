// A QA .tflite brought in through TinyTwin's importer and run by the reference executor: the int8
// expectation a board must equal byte for byte (qa_int8.tflite), or the float reference
// (qa_float.tflite). Used by scripts/qa-eval.ts, scripts/qa-fixture-inputs.ts and the tests; the QA
// demo will run its references through it too.
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { writeBlob } from '$lib/model/format/blob-writer';
import { modelIo, type ModelIo } from '$lib/model/io/tensor-io';
import { importTflite } from '$lib/model/tflite';
import { bindQaModel, type QaBinding } from '$lib/qa/qa-model';

export interface QaReference {
	binding: QaBinding;
	io: ModelIo;
	/** Windows' real-valued inputs in model order → per window, each output's real values. */
	run(examples: number[][][]): Float64Array[][];
}

export function qaReference(tflite: Uint8Array, name = 'qa'): QaReference {
	const ir = importTflite(tflite, { name });
	const blob = readBlob(writeBlob(ir));
	const io = modelIo(blob);
	const ex = createExecutor(blob);
	return {
		binding: bindQaModel(ir),
		io,
		run: (examples) =>
			io
				.decode(ex.run(io.encode(examples), examples.length), examples.length)
				.map((outs) => outs.map((o) => o.real))
	};
}
