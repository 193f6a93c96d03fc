// Model pipeline figures of issue 4: the arena planner on TFLM's hello_world (goal ≤ 10 % of TFLM's
// recorded 904 bytes), and each training recipe's float vs int8 error on its test split after
// full-integer quantization. Run: npx tsx bench/models.ts
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { readBlob } from '../src/lib/model/format/blob-reader';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import { importTflite } from '../src/lib/model/tflite';
import { RECIPES, trainModel } from '../src/lib/training';
import { writeSection } from './doc-section';

const TFLM_ARENA = 904;

async function main(): Promise<void> {
	const rows: string[] = [];
	for (const file of ['hello_world_int8.tflite', 'hello_world_float.tflite']) {
		const bytes = readFileSync(new URL(`../../shared/data/tflm/${file}`, import.meta.url));
		const blob = writeBlob(importTflite(new Uint8Array(bytes)));
		const arena = readBlob(blob).arenaSize;
		rows.push(
			`| ${file} | ${bytes.length.toLocaleString('en-US')} B | ${blob.length.toLocaleString('en-US')} B | **${arena} B** | ${((100 * arena) / TFLM_ARENA).toFixed(1)} % |`
		);
	}
	const trained: string[] = [];
	for (const r of RECIPES) {
		const started = performance.now();
		const m = await trainModel({ recipe: r.id, seed: 1 });
		const s = (performance.now() - started) / 1000;
		const q = m.report;
		trained.push(
			`| ${r.id} | ${m.epochs} | ${q.float.mae.toFixed(3)} / ${q.float.maxError.toFixed(2)} | ${q.int8.mae.toFixed(3)} / ${q.int8.maxError.toFixed(2)} | ${q.testCount} | ${q.weightBytes} B | ${q.arenaBytes} B | ${q.blobBytes} B | ${s.toFixed(1)} s |`
		);
	}
	writeSection(
		'models',
		`## Model pipeline: arena plan and int8 quantization

Measured by \`npx tsx bench/models.ts\` (Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}; training is deterministic, so the errors repeat exactly).

TFLM's hello_world through the \`.tflite\` importer and the arena planner (TFLM records an arena of
${TFLM_ARENA} bytes for it; goal ≤ 10 %):

| model | .tflite | blob | planned arena | of TFLM's |
|---|---|---|---|---|
${rows.join('\n')}

Training recipes (TensorFlow.js, cpu backend, seed 1, default epochs), then full-integer int8 PTQ;
mean and max absolute error on each recipe's test split:

| recipe | epochs | float MAE / max | int8 MAE / max | test rows | int8 weights | arena | blob | training time |
|---|---|---|---|---|---|---|---|---|
${trained.join('\n')}`
	);
	console.error('wrote docs/benchmarks.md (section models)');
}

await main();
