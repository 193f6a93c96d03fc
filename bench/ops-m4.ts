// On-device cost of the conv and sequence operators (issue 9): instructions per inference on the
// Cortex-M4 under QEMU for converter-made models (the oracle fixtures conv_net, embed_conv, attention,
// hello_world, and qa_int8, the QA model of issue 11: one passage window per inference), each checked
// byte for byte against TFLM's outputs in the same run, next to TFLM's own
// figures on the same emulated M4 (reference kernels and CMSIS-NN; measured beside the project as
// docs/targets/tflm-m4.md describes, passed in with --tflm FILE.json), and the core's flash.
//
//   npx tsx bench/ops-m4.ts [--tflm tflm-figures.json]
//
// Writes the "ops-m4" section of docs/benchmarks.md. Method: as bench/targets.ts — QEMU mps2-an386
// with -icount shift=0; INFER_OK's ticks (25 MHz FPGAIO counter, 40 instructions each) around
// model_invoke; the mean over all of a fixture's examples in one batch, median of 3 batches.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { readBlob } from '../src/lib/model/format/blob-reader';
import { QemuM4Board, requireQemuM4 } from '../tests/conformance/qemu-m4-board';
import { loadOracleFixture } from '../tests/shared/oracle-fixtures';
import { oracleCase } from '../tests/shared/oracle-run';
import { writeSection } from './doc-section';
import { instructionsPerInference } from './m4-measure';

const MODELS = ['hello_world', 'conv_net', 'embed_conv', 'attention', 'qa_int8'] as const;

/** TFLM's figures for a model: instructions per Invoke() and the arena it used, per kernel set. */
interface TflmFigures {
	method: string;
	models: Record<
		string,
		{
			reference?: number;
			cmsisNn?: number;
			arenaBytes?: number;
			codeBytes?: Record<string, number>;
		}
	>;
}

const fmt = (n: number | undefined) =>
	n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');

/** Flash of the core (text + rodata + data of firmware/src's objects) in a linked M4 image's map. */
function coreFlash(map: string): number {
	const out = execFileSync('bash', ['firmware/targets/qemu-m4/core-size.sh', map], {
		encoding: 'utf8'
	});
	const bytes = Number(/flash (\d+) B/.exec(out)?.[1]);
	if (!bytes) throw new Error(`unexpected output of core-size.sh:\n${out}`);
	return bytes;
}

async function main(): Promise<void> {
	const at = process.argv.indexOf('--tflm');
	const tflm: TflmFigures | null =
		at > 0 ? (JSON.parse(readFileSync(process.argv[at + 1]!, 'utf8')) as TflmFigures) : null;
	const cases = MODELS.map((m) => oracleCase(loadOracleFixture(m)));

	requireQemuM4();
	const m4 = new QemuM4Board(['--icount']);
	const s = await m4.start();
	const insns: number[] = [];
	for (const c of cases)
		insns.push(await instructionsPerInference(s, { ...c, name: c.fixture.name }));
	await m4.stop();
	// The full image (every operator) was built by the board above; `make sizes` builds the MLP-set one.
	execFileSync('make', ['-s', '-C', 'firmware/targets/qemu-m4', 'sizes'], { stdio: 'ignore' });
	const fullCore = coreFlash('firmware/build/qemu-m4/tinytwin-m4.map');
	const mlpCore = coreFlash('firmware/build/qemu-m4-mlp/tinytwin-m4.map');

	const rows = cases.map((c, i) => {
		const t = tflm?.models[c.fixture.name];
		const ratio = (x?: number) => (x ? `${(x / insns[i]!).toFixed(1)}×` : '—');
		return `| ${c.fixture.name} | ${c.fixture.ops.join(', ')} | **${fmt(insns[i])}** | ${fmt(t?.reference)} (${ratio(t?.reference)}) | ${fmt(t?.cmsisNn)} (${ratio(t?.cmsisNn)}) | ${fmt(readBlob(c.blob).arenaSize)} B | ${fmt(t?.arenaBytes)} B |`;
	});
	writeSection(
		'ops-m4',
		`## Conv and sequence models on the Cortex-M4, side by side with TFLM

Measured by \`npx tsx bench/ops-m4.ts${tflm ? ' --tflm FILE' : ''}\` (${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}).
TinyTwin: the oracle fixtures (converter-made \`.tflite\`, \`tests/fixtures/oracle/\`) imported, uploaded
to the Cortex-M4 board under QEMU (\`-icount shift=0\`, \`-Os\` core) and run over all their examples;
every output byte equal to TFLM's in the same run; mean instructions per inference, median of 3
batches. TFLM: the same \`.tflite\` files on the same emulated M4, ${tflm ? tflm.method : 'not measured in this run (pass --tflm)'}.
The ratio column is TFLM's instructions over TinyTwin's.

| model | ops | TinyTwin instructions | TFLM reference kernels | TFLM + CMSIS-NN | TinyTwin arena | TFLM arena used |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Core flash on the M4 at \`-Os\` (the core's input sections kept in the linked image,
\`firmware/targets/qemu-m4/core-size.sh\`): every operator ${fmt(fullCore)} B; the MLP set
(FULLY_CONNECTED, QUANTIZE, DEQUANTIZE, RELU, RELU6, ADD, SOFTMAX; \`-DTT_OPS_EXTENDED=0\`) ${fmt(mlpCore)} B.

Goals (issue 9): fewer instructions than TFLM + CMSIS-NN on the conv and sequence models, ≥ 3× fewer
than TFLM's reference kernels, hello_world not above 1 271; the core with every operator ≤ 24 KB
(24 576 B), the MLP set ≤ 12 KB (12 288 B).`
	);
	console.error('wrote docs/benchmarks.md (section ops-m4)');
}

await main();
