// Calibrates the per-op cost model (src/lib/model/fit/cost-model.ts, issue 10) on the emulated
// boards and measures its error:
//
//   npx tsx bench/cost-calibrate.ts        (one command; ~5 min; builds what it needs)
//   npx tsx bench/cost-calibrate.ts --measured test-results/cost-measured.json   (fit again only)
//
// Workloads: every oracle fixture the importer takes (tests/fixtures/oracle), the sine and MPG demos,
// and seeded 1→w→w→1 int8 MLPs of several widths (cli/synthetic-model.ts). Each is measured on the
// Cortex-M4 under QEMU (instructions per inference, bench/m4-measure.ts: -icount shift=0, the
// mean over a batch, median of 3 batches, outputs checked byte for byte where the oracle is exact)
// and, when its ops are the AVR build's and it fits the 4 KiB pool, on the ATmega2560 sketch under
// simavr (exact cycles per inference, the harness's --cost log, median over the batch). The
// workloads are sorted by name and every fourth is held out; the coefficients are fitted on the
// others (non-negative least squares on relative error) and the held-out error is reported.
// Writes src/lib/model/fit/cost-coefficients.ts (the fitted numbers) and the "cost" section of
// docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticBlob } from '../cli/synthetic-model';
import { mpgModel } from '../src/lib/demos/mpg/mpg';
import { sineModel } from '../src/lib/demos/sine/sine';
import { BOARD_PROFILES, MLP_OPS } from '../src/lib/model/fit/board-profiles';
import {
	costClass,
	costFeatures,
	estimateCost,
	opWork,
	type CostTarget,
	type TargetCoefficients
} from '../src/lib/model/fit/cost-model';
import { PROFILE_COST } from '../src/lib/model/fit/inference-time';
import { readBlob, type BlobModel } from '../src/lib/model/format/blob-reader';
import { mulberry32 } from '../src/lib/model/mlp/rng';
import { DeviceError } from '../src/lib/protocol';
import { TfliteImportError } from '../src/lib/model/tflite';
import { AvrBoard, requireAvr } from '../tests/conformance/avr-board';
import { QemuM4Board, requireQemuM4 } from '../tests/conformance/qemu-m4-board';
import { loadOracleFixture, oracleFixtureNames } from '../tests/shared/oracle-fixtures';
import { oracleCase } from '../tests/shared/oracle-run';
import { writeSection } from './doc-section';
import { instructionsPerInference, median, type M4Workload } from './m4-measure';

const MEASURED_DIR = new URL('../test-results/', import.meta.url);
const MEASURED_FILE = new URL('cost-measured.json', MEASURED_DIR);
const COEFFICIENTS_FILE = new URL('../src/lib/model/fit/cost-coefficients.ts', import.meta.url);
const SYNTHETIC_WIDTHS = [1, 2, 4, 6, 8, 12, 16, 20, 24, 32, 40, 48, 64, 96];
/** The AVR sketch's pool (blob + arena) and frame payload (board-profiles.ts, mega2560). */
const AVR = BOARD_PROFILES.find((p) => p.id === 'mega2560')!;
const AVR_MAX_RECORD = 64;
/** Every HOLD_OUT-th workload (sorted by name, from the second) is held out of the fit. */
const HOLD_OUT = 4;
/** Ridge strengths tried; each target takes the one with the least leave-one-out error on its training set. */
const RIDGES = [0, 0.001, 0.01, 0.03, 0.1, 0.3];

interface Sample extends M4Workload {
	model: BlobModel;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function randomInputs(name: string, model: BlobModel, count: number): Uint8Array {
	const rng = mulberry32([...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
	return Uint8Array.from({ length: count * model.inputBytes }, () => Math.floor(rng() * 256));
}

function samples(): Sample[] {
	const out: Sample[] = [];
	for (const name of oracleFixtureNames()) {
		try {
			const c = oracleCase(loadOracleFixture(name));
			out.push({
				name,
				blob: c.blob,
				model: readBlob(c.blob),
				count: c.count,
				inputBytes: c.inputBytes,
				outputBytes: c.outputBytes,
				inputs: c.inputs,
				...(c.maxUlp === 0 && { want: c.want })
			});
		} catch (e) {
			if (!(e instanceof TfliteImportError)) throw e;
		}
	}
	const own: [string, Uint8Array][] = [
		['demo sine', sineModel().blob],
		['demo mpg', mpgModel().blob],
		...SYNTHETIC_WIDTHS.map((w): [string, Uint8Array] => [
			`mlp 1-${w}-${w}-1`,
			syntheticBlob(w, 11)
		])
	];
	for (const [name, blob] of own) {
		const model = readBlob(blob);
		const count = 32;
		out.push({
			name,
			blob,
			model,
			count,
			inputBytes: model.inputBytes,
			outputBytes: model.outputBytes,
			inputs: randomInputs(name, model, count)
		});
	}
	return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const onAvr = (s: Sample) =>
	s.model.ops.every((o) => MLP_OPS.includes(o.opcode)) &&
	Math.ceil(s.blob.length / 16) * 16 + s.model.arenaSize <= AVR.poolBytes &&
	s.inputBytes <= AVR_MAX_RECORD &&
	s.outputBytes <= AVR_MAX_RECORD;

async function measureM4(ss: Sample[]): Promise<Map<string, number>> {
	requireQemuM4();
	const board = new QemuM4Board(['--icount']);
	const s = await board.start();
	const got = new Map<string, number>();
	try {
		for (const w of ss) {
			got.set(w.name, await instructionsPerInference(s, w));
			process.stderr.write('.');
		}
	} finally {
		await board.stop();
	}
	process.stderr.write('\n');
	return got;
}

/** The real sketch under simavr: the harness logs exact cycles per inference (bench/targets.ts). */
async function measureAvr(ss: Sample[]): Promise<Map<string, number>> {
	requireAvr();
	const dir = mkdtempSync(join(tmpdir(), 'tt-cost-avr-'));
	const costFile = join(dir, 'cost.json');
	const board = new AvrBoard(['--cost', costFile]);
	const s = await board.start();
	const counts: number[] = [];
	const measured: Sample[] = [];
	// The board stores a new model next to the running one: a tiny model first leaves it the room.
	const spacer = syntheticBlob(1, 11);
	try {
		for (const w of ss) {
			await s.upload(spacer);
			try {
				await s.upload(w.blob);
			} catch (e) {
				if (e instanceof DeviceError && e.codeName === 'TOO_LARGE') {
					console.error(`\n${w.name}: too large for the AVR's pool, not measured there`);
					continue;
				}
				throw e;
			}
			const out = await s.infer(w.inputs, {
				count: w.count,
				inputBytes: w.inputBytes,
				outputBytes: w.outputBytes
			});
			if (w.want && !Buffer.from(out.outputs).equals(Buffer.from(w.want)))
				throw new Error(`${w.name}: the AVR's outputs differ from the expected ones.`);
			counts.push(w.count);
			measured.push(w);
			process.stderr.write('.');
		}
	} finally {
		await board.stop();
	}
	process.stderr.write('\n');
	const raw = JSON.parse(readFileSync(costFile, 'utf8')) as {
		inferences: { cycles: number }[];
	};
	rmSync(dir, { recursive: true, force: true });
	const got = new Map<string, number>();
	let at = 0;
	measured.forEach((w, i) => {
		got.set(w.name, median(raw.inferences.slice(at, at + counts[i]!).map((x) => x.cycles)));
		at += counts[i]!;
	});
	if (at !== raw.inferences.length)
		throw new Error(`simavr logged ${raw.inferences.length} inferences, expected ${at}.`);
	return got;
}

/** min ‖Ax − b‖ subject to x ≥ 0 (Lawson & Hanson). */
function nnls(A: number[][], b: number[]): number[] {
	const m = A.length;
	const n = A[0]!.length;
	const x = new Array<number>(n).fill(0);
	const passive = new Array<boolean>(n).fill(false);
	const residual = () => b.map((bi, i) => bi - A[i]!.reduce((a, aij, j) => a + aij * x[j]!, 0));
	const gradient = () => {
		const r = residual();
		return Array.from({ length: n }, (_, j) => A.reduce((a, row, i) => a + row[j]! * r[i]!, 0));
	};
	/** Least squares on the passive columns (normal equations, a tiny ridge for rank deficiency). */
	const solvePassive = (): number[] => {
		const P = passive.flatMap((p, j) => (p ? [j] : []));
		const k = P.length;
		const M = P.map((p) =>
			P.map((q) => A.reduce((a, row) => a + row[p]! * row[q]!, 0) + (p === q ? 1e-10 : 0))
		);
		const v = P.map((p) => A.reduce((a, row, i) => a + row[p]! * b[i]!, 0));
		// Gaussian elimination with partial pivoting.
		for (let c = 0; c < k; c++) {
			let piv = c;
			for (let r = c + 1; r < k; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
			[M[c], M[piv]] = [M[piv]!, M[c]!];
			[v[c], v[piv]] = [v[piv]!, v[c]!];
			for (let r = c + 1; r < k; r++) {
				const f = M[r]![c]! / M[c]![c]!;
				for (let cc = c; cc < k; cc++) M[r]![cc]! -= f * M[c]![cc]!;
				v[r]! -= f * v[c]!;
			}
		}
		const z = new Array<number>(k).fill(0);
		for (let r = k - 1; r >= 0; r--) {
			let acc = v[r]!;
			for (let cc = r + 1; cc < k; cc++) acc -= M[r]![cc]! * z[cc]!;
			z[r] = acc / M[r]![r]!;
		}
		const full = new Array<number>(n).fill(0);
		P.forEach((p, i) => (full[p] = z[i]!));
		return full;
	};
	for (let iter = 0; iter < 3 * n; iter++) {
		const w = gradient();
		let best = -1;
		for (let j = 0; j < n; j++)
			if (!passive[j] && w[j]! > 1e-12 && (best < 0 || w[j]! > w[best]!)) best = j;
		if (best < 0) break;
		passive[best] = true;
		for (;;) {
			const z = solvePassive();
			const neg = passive.flatMap((p, j) => (p && z[j]! <= 0 ? [j] : []));
			if (neg.length === 0) {
				x.splice(0, n, ...z);
				break;
			}
			const alpha = Math.min(...neg.map((j) => x[j]! / (x[j]! - z[j]!)));
			for (let j = 0; j < n; j++) {
				x[j] = x[j]! + alpha * (z[j]! - x[j]!);
				if (passive[j] && Math.abs(x[j]!) < 1e-12) {
					passive[j] = false;
					x[j] = 0;
				}
			}
		}
	}
	void m;
	return x;
}

/** Fits a target's coefficients on `train` (measured cost by name). */
function fit(
	unit: TargetCoefficients['unit'],
	train: Sample[],
	measured: Map<string, number>,
	RIDGE: number
): TargetCoefficients {
	const classes = [
		...new Set(train.flatMap((s) => s.model.ops.map((o) => costClass(opWork(s.model, o)))))
	].sort();
	const rows = train.map((s) => costFeatures(s.model, classes));
	// Relative error: each row divided by its measurement; columns scaled to unit norm.
	const A = rows.map((r, i) => r.map((f) => f / measured.get(train[i]!.name)!));
	const scale = A[0]!.map((_, j) => Math.hypot(...A.map((r) => r[j]!)) || 1);
	// A light ridge on the class coefficients (not on the per-inference and per-op costs): a class
	// seen at one shape only is shared between its MAC and element terms instead of put on one.
	const ridge = A[0]!.map((_, j) =>
		A[0]!.map((__, k) => (j === k && j >= 2 ? Math.sqrt(RIDGE) : 0))
	);
	const x = nnls(
		[...A.map((r) => r.map((a, j) => a / scale[j]!)), ...ridge],
		[...A.map(() => 1), ...ridge.map(() => 0)]
	).map((z, j) => z / scale[j]!);
	const round = (v: number) => Number(v.toPrecision(4));
	const classCoefficients = Object.fromEntries(
		classes.map((c, k) => [c, { mac: round(x[2 + 2 * k]!), element: round(x[3 + 2 * k]!) }])
	);
	const withMacs = classes.filter((c) => rows.some((r) => r[2 + 2 * classes.indexOf(c)]! > 0));
	return {
		unit,
		perInference: round(x[0]!),
		perOp: round(x[1]!),
		classes: classCoefficients,
		fallback: {
			mac: round(median(withMacs.map((c) => classCoefficients[c]!.mac)) || 1),
			element: round(median(classes.map((c) => classCoefficients[c]!.element)))
		}
	};
}

interface TargetResult {
	target: CostTarget;
	coefficients: TargetCoefficients;
	ridge: number;
	train: Sample[];
	held: Sample[];
	measured: Map<string, number>;
	heldErrors: number[];
	trainErrors: number[];
}

function calibrate(
	target: CostTarget,
	unit: TargetCoefficients['unit'],
	ss: Sample[],
	measured: Map<string, number>
): TargetResult {
	const held = ss.filter((_, i) => i % HOLD_OUT === 1);
	const train = ss.filter((_, i) => i % HOLD_OUT !== 1);
	const errorOf = (c: TargetCoefficients, s: Sample) =>
		Math.abs(estimateCost(s.model, c).total - measured.get(s.name)!) / measured.get(s.name)!;
	// The ridge by leave-one-out on the training set only (the held-out workloads stay unseen).
	const loo = RIDGES.map((r) => {
		const errs = train.map((s) =>
			errorOf(
				fit(
					unit,
					train.filter((t) => t !== s),
					measured,
					r
				),
				s
			)
		);
		return errs.reduce((a, e) => a + e, 0) / errs.length;
	});
	const ridge = RIDGES[loo.indexOf(Math.min(...loo))]!;
	console.error(
		`${target}: leave-one-out mean error by ridge ${RIDGES.map((r, i) => `${r}: ${pct(loo[i]!)}`).join(', ')}`
	);
	const fitted = fit(unit, train, measured, ridge);
	const err = (s: Sample) => errorOf(fitted, s);
	const heldErrors = held.map(err);
	const round = (v: number) => Number(v.toFixed(3));
	const coefficients: TargetCoefficients = {
		...fitted,
		error: {
			median: round(median(heldErrors)),
			max: round(Math.max(...heldErrors)),
			heldOut: held.length
		}
	};
	return {
		target,
		coefficients,
		ridge,
		train,
		held,
		measured,
		heldErrors,
		trainErrors: train.map(err)
	};
}

function coefficientsSource(results: TargetResult[], date: string): string {
	const body = results
		.map((r) => `\t'${r.target}': ${JSON.stringify(r.coefficients, null, '\t')}`)
		.join(',\n');
	return `// Calibrated coefficients of the per-op cost model (cost-model.ts). Written by
// \`npx tsx bench/cost-calibrate.ts\` on ${date} (${cpus()[0]?.model ?? 'unknown CPU'}) from
// ${results.map((r) => `${r.train.length} ${r.target} workloads`).join(' and ')}; do not edit by hand —
// run that command again (after a kernel changes, too). Error on held-out workloads: docs/benchmarks.md, "cost".
import type { CostTarget, TargetCoefficients } from './cost-model';

export const COST_COEFFICIENTS: Readonly<Record<CostTarget, TargetCoefficients>> = {
${body}
};
`;
}

function section(results: TargetResult[], date: string): string {
	const summary = results.map((r) => {
		const max = (xs: number[]) => Math.max(...xs);
		return `| ${r.target === 'avr' ? 'ATmega2560 (simavr)' : 'Cortex-M4 (QEMU)'} | ${r.coefficients.unit} | ${r.train.length} | ${r.held.length} | ${r.ridge} | **${pct(median(r.heldErrors))}** | **${pct(max(r.heldErrors))}** | ${pct(median(r.trainErrors))} / ${pct(max(r.trainErrors))} |`;
	});
	const heldRows = results.flatMap((r) =>
		r.held.map((s, i) => {
			const est = estimateCost(s.model, r.coefficients);
			const unseen = est.ops.filter((o) => !o.calibrated).length;
			return `| ${r.target} | ${s.name} | ${fmt(r.measured.get(s.name)!)} | ${fmt(est.total)} | ${pct(r.heldErrors[i]!)}${unseen ? ` (${unseen} op${unseen > 1 ? 's' : ''} of an unfitted class)` : ''} |`;
		})
	);
	const profiles = BOARD_PROFILES.map((p) => {
		const how = PROFILE_COST[p.id];
		return `| ${p.id} | ${p.cpuHz > 0 ? `${p.cpuHz / 1e6} MHz` : '—'} | ${how ? `${how.calibrated ? 'calibrated' : '**not calibrated**'}: ${how.basis}` : 'no estimate (no clock)'} |`;
	});
	return `## Estimated time per board: the per-op cost model and its error

Measured and fitted by \`npx tsx bench/cost-calibrate.ts\` (${date}, ${cpus()[0]?.model ?? 'unknown CPU'}).
The virtual and host boards run the firmware on this machine, so the time they measure says nothing
of a microcontroller; the app and \`tinytwin check\` show an **estimate** for a board profile instead:
\`src/lib/model/fit/cost-model.ts\` counts each op's work from its kind and shapes (inner-loop steps —
MACs, pool windows, reduced elements — and output elements) and prices it per target with the
coefficients of \`cost-coefficients.ts\`, fitted here; \`inference-time.ts\` turns that into time at the
profile's clock. Real boards show their own measured ticks.

Workloads: the oracle fixtures the importer takes, the sine and MPG demos, and seeded 1→w→w→1 int8
MLPs (w = ${SYNTHETIC_WIDTHS.join(', ')}). Cortex-M4: instructions per inference under QEMU \`-icount shift=0\`
(mean over a batch, median of 3 batches; bench/m4-measure.ts). ATmega2560: exact cycles per inference
of the real sketch under simavr (median over the batch), for the workloads made of the AVR build's ops
that fit its 4 KiB pool. Sorted by name, every ${HOLD_OUT}th workload is held out; the coefficients are
a non-negative least-squares fit of the others on relative error, with a ridge on the per-class
coefficients whose strength is chosen by leave-one-out on the training workloads alone.
Error = |estimate − measured| / measured.

| target | unit | fitted on | held out | ridge | held-out median error | held-out max error | training median / max |
|---|---|---|---|---|---|---|---|
${summary.join('\n')}

Held-out workloads (the error is largest where an op kind is exercised at one or two shapes only —
the fixtures have one shape per op and type — since the model then extrapolates that class's MAC and
element costs from too little; the MLP-only AVR build has many shapes and fits closely):

| target | workload | measured | estimate | error |
|---|---|---|---|---|
${heldRows.join('\n')}

How each board profile's time is obtained (the calibrated chips are the emulated ones; the others
are extrapolated and say so):

| profile | clock | basis |
|---|---|---|
${profiles.join('\n')}

The kernels change (issue 9's speed work): after a kernel change run the command again; it rewrites
the coefficients and this section.`;
}

async function main(): Promise<void> {
	const started = performance.now();
	const ss = samples();
	const avrSamples = ss.filter(onAvr);
	console.error(`${ss.length} workloads on the M4, ${avrSamples.length} on the AVR`);
	// --measured FILE: fit again on the figures a previous run saved (no emulator); else measure.
	const at = process.argv.indexOf('--measured');
	let m4: Map<string, number>;
	let avr: Map<string, number>;
	if (at > 0) {
		const saved = JSON.parse(readFileSync(process.argv[at + 1]!, 'utf8')) as Record<
			'm4' | 'avr',
			Record<string, number>
		>;
		m4 = new Map(Object.entries(saved.m4));
		avr = new Map(Object.entries(saved.avr));
	} else {
		m4 = await measureM4(ss);
		avr = await measureAvr(avrSamples);
		mkdirSync(fileURLToPath(MEASURED_DIR), { recursive: true });
		writeFileSync(
			fileURLToPath(MEASURED_FILE),
			JSON.stringify({ m4: Object.fromEntries(m4), avr: Object.fromEntries(avr) }, null, 1)
		);
	}
	const results = [
		calibrate('cortex-m4', 'instructions', ss, m4),
		calibrate(
			'avr',
			'cycles',
			avrSamples.filter((s) => avr.has(s.name)),
			avr
		)
	];
	const date = new Date().toISOString().slice(0, 10);
	const file = fileURLToPath(COEFFICIENTS_FILE);
	writeFileSync(file, coefficientsSource(results, date));
	execFileSync('npx', ['prettier', '--write', file], { stdio: 'ignore' });
	writeSection('cost', section(results, date));
	for (const r of results)
		console.error(
			`${r.target}: held-out median ${pct(median(r.heldErrors))}, max ${pct(Math.max(...r.heldErrors))} (${r.held.length} of ${r.held.length + r.train.length})`
		);
	console.error(
		`wrote ${file} and docs/benchmarks.md (section cost) in ${((performance.now() - started) / 1000).toFixed(0)} s`
	);
}

await main();
