// tinytwin bench upload|sweep: protocol efficiency against the line, on any board.
import { benchUploadBlob, measureSweep, measureUpload, median } from '../bench-core';
import { connect, deviceChoice } from '../device';
import { UsageError } from '../errors';
import { intOption, parse } from '../options';
import type { Output } from '../output';
import { formatBytes } from '../output';

const pct = (v: number | null) => (v === null ? 'n/a (unthrottled)' : `${(100 * v).toFixed(1)} %`);

export async function benchCommand(
	args: string[],
	out: Output,
	signal: AbortSignal
): Promise<void> {
	const p = parse(args, { repeat: { type: 'string' }, points: { type: 'string' } });
	const what = p.positionals[0];
	if (what !== 'upload' && what !== 'sweep')
		throw new UsageError('Usage: tinytwin bench upload|sweep [--line-rate BAUD] [--repeat N].');
	const choice = deviceChoice(p);
	// On a real port the line rate is the port's baud rate.
	const lineRate = choice.kind === 'serial' ? choice.baud : choice.lineRate;
	const repeat = intOption(p, 'repeat', 3, 1, 100);
	const dev = await connect(choice, out, signal);
	try {
		if (what === 'upload') {
			const blob = benchUploadBlob();
			const runs = [];
			for (let i = 0; i < repeat; i++) {
				out.progress(`upload ${i + 1}/${repeat} of ${formatBytes(blob.length)}…`);
				runs.push(await measureUpload(dev.session, blob, lineRate, signal));
			}
			out.progressDone();
			const seconds = median(runs.map((r) => r.seconds));
			const eff = lineRate > 0 ? median(runs.map((r) => r.efficiency!)) : null;
			out.result(
				{
					bench: 'upload',
					board: dev.session.hello.board,
					lineRate,
					blobBytes: blob.length,
					medianSeconds: seconds,
					medianEfficiency: eff,
					runs
				},
				() => [
					`upload of ${blob.length} bytes to ${dev.session.hello.board} at ${lineRate > 0 ? `${lineRate} baud` : 'full pipe speed'}, median of ${repeat}:`,
					`  ${seconds.toFixed(3)} s, ${formatBytes(Math.round(blob.length / seconds))}/s, efficiency ${pct(eff)}`
				]
			);
		} else {
			const points = intOption(p, 'points', 1000, 1, 1_000_000);
			const runs = [];
			for (let i = 0; i < repeat; i++) {
				out.progress(`sweep ${i + 1}/${repeat} of ${points} points…`);
				runs.push(await measureSweep(dev.session, points, lineRate, signal));
			}
			out.progressDone();
			const seconds = median(runs.map((r) => r.seconds));
			const ofFloor = lineRate > 0 ? median(runs.map((r) => r.ofFloor!)) : null;
			out.result(
				{
					bench: 'sweep',
					board: dev.session.hello.board,
					lineRate,
					points,
					medianSeconds: seconds,
					medianOfFloor: ofFloor,
					runs
				},
				() => [
					`${points}-point sine sweep on ${dev.session.hello.board} at ${lineRate > 0 ? `${lineRate} baud` : 'full pipe speed'}, median of ${repeat}:`,
					`  ${seconds.toFixed(3)} s, ${(points / seconds).toFixed(0)} points/s, ${pct(ofFloor)} of the wire floor's rate`
				]
			);
		}
	} finally {
		await dev.close();
	}
}
