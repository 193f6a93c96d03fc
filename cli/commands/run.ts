// tinytwin run sine|mpg: upload the demo model if the board lacks it, run the inputs on the board,
// and compare with the bit-exact int8 reference, the float model and the ground truth.
import { sineModel, sineSweep, sineTarget } from '../../src/lib/demos/sine/sine';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import type { MlpBundle } from '../../src/lib/model/mlp/mlp-bundle';
import { comparePoints, summarize } from '../compare';
import type { Point, Summary } from '../compare';
import { connect, deviceChoice } from '../device';
import { CliError, UsageError } from '../errors';
import { intOption, parse } from '../options';
import type { Output } from '../output';
import { uploadIfNeeded } from './upload';
import { runModelCommand } from './run-model';

interface DemoInputs {
	bundle: MlpBundle;
	xs: number[];
	truths: number[];
	xLabel: string;
	yLabel: string;
}

function demoInputs(name: string | undefined, points: number): DemoInputs {
	switch (name) {
		case 'sine': {
			const xs = sineSweep(points);
			return { bundle: sineModel(), xs, truths: xs.map(sineTarget), xLabel: 'x', yLabel: 'sin x' };
		}
		case 'mpg': {
			const test = mpgSplit().test;
			return {
				bundle: mpgModel(),
				xs: test.map((r) => r.horsepower),
				truths: test.map((r) => r.mpg),
				xLabel: 'horsepower',
				yLabel: 'MPG'
			};
		}
		case undefined:
			throw new UsageError(
				'Which demo? Usage: tinytwin run sine|mpg [--points N] [--board host | --port PATH].'
			);
		default:
			throw new UsageError(`Unknown demo "${name}". Demos: sine, mpg.`);
	}
}

function table(d: DemoInputs, points: Point[], show: number): string[] {
	const step = Math.max(1, Math.floor(points.length / Math.max(1, show)));
	const f = (v: number) => v.toFixed(4).padStart(9);
	const rows = [
		`${d.xLabel.padStart(10)} ${d.yLabel.padStart(9)}     board  expected     float  int8 board/expected  µs`
	];
	for (let i = 0; i < points.length; i += step) {
		const p = points[i]!;
		rows.push(
			`${p.x.toFixed(4).padStart(10)} ${f(p.truth)} ${f(p.device)} ${f(p.expected)} ${f(p.float)}  ${String(p.deviceQ).padStart(4)}/${String(p.expectedQ).padEnd(4)} ${p.deviceQ === p.expectedQ ? '=' : '≠'}  ${p.micros.toFixed(0)}`
		);
	}
	return rows;
}

function summaryLines(s: Summary, yLabel: string): string[] {
	return [
		`board = int8 reference on ${s.matches}/${s.points} points (max difference ${s.maxDiffLsb} LSB)`,
		`error vs ${yLabel}: board MAE ${s.maeDeviceVsTruth.toFixed(4)}, max ${s.maxErrDeviceVsTruth.toFixed(4)}; float model MAE ${s.maeFloatVsTruth.toFixed(4)}; board vs float MAE ${s.maeDeviceVsFloat.toFixed(4)}`,
		`time per inference on the board: median ${s.microsMedian.toFixed(1)} µs, p95 ${s.microsP95.toFixed(1)} µs`
	];
}

export async function runCommand(args: string[], out: Output, signal: AbortSignal): Promise<void> {
	const target = args.find((a) => !a.startsWith('-'));
	if (
		target !== undefined &&
		target !== 'sine' &&
		target !== 'mpg' &&
		/\.(tflite|ttm)$/i.test(target)
	) {
		return runModelCommand(
			target,
			args.filter((a) => a !== target),
			out,
			signal
		);
	}
	const p = parse(args, { points: { type: 'string' }, show: { type: 'string' } });
	const d = demoInputs(p.positionals[0], intOption(p, 'points', 100, 1, 1_000_000));
	const show = intOption(p, 'show', 12, 1, 1_000_000);
	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const { session } = dev;
		const upload = await uploadIfNeeded(session, d.bundle.blob, 0, out, signal);
		const inputs = Uint8Array.from(Int8Array.from(d.xs.map(d.bundle.quantizeInput)));
		const started = performance.now();
		const r = await session.infer(inputs, {
			count: d.xs.length,
			inputBytes: 1,
			outputBytes: 1,
			signal,
			onBatch: ({ done, total }) => out.progress(`infer ${done}/${total}`)
		});
		const seconds = (performance.now() - started) / 1000;
		out.progressDone();
		const points = comparePoints(
			d.bundle,
			d.xs,
			d.truths,
			new Int8Array(r.outputs.buffer, r.outputs.byteOffset, r.outputs.length),
			r.ticks,
			session.hello.tickHz
		);
		const summary = summarize(points);
		out.result(
			{
				demo: d.bundle.name,
				board: session.hello.board,
				uploaded: !upload.skipped,
				seconds,
				summary,
				points
			},
			() => [
				`${d.bundle.name} on ${session.hello.board} (${dev.transport.info.label}): ${points.length} inferences in ${seconds.toFixed(3)} s${upload.skipped ? '' : ' after uploading the model'}`,
				...table(d, points, show),
				...summaryLines(summary, d.yLabel)
			]
		);
		if (summary.matches !== summary.points) {
			throw new CliError(
				`The board's int8 outputs differ from the reference on ${summary.points - summary.matches} of ${summary.points} points: its kernels do not compute what the model specifies. Update the firmware, and report this with the output of "tinytwin info".`
			);
		}
	} finally {
		await dev.close();
	}
}
