// Upload time of the QA model (issue 11, item 7): the imported blob of
// src/lib/demos/qa/model/qa_int8.tflite uploaded to the host board at 115 200 baud (paced as a UART,
// 8N1) and through the unthrottled pipe, with the Nano 33 BLE's frames (1 024 B × 4) and the host
// profile's (4 096 B × 8). Time from BEGIN to COMMIT_OK (cli/bench-core.ts measureUpload, the
// measurement of `tinytwin bench upload`), median of N uploads, each to a
// freshly started board.
//
//   npx tsx bench/qa-upload.ts [--repeat N]
//
// Prints a markdown table; docs/benchmarks.md ("Question answering") quotes it.
import { cpus } from 'node:os';
import { measureUpload, median } from '../cli/bench-core';
import { connect } from '../cli/device';
import type { DeviceChoice } from '../cli/device';
import { loadModelInput } from '../cli/model-file';
import { createOutput } from '../cli/output';

const MODEL = 'src/lib/demos/qa/model/qa_int8.tflite';
const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 5;
if (!Number.isInteger(REPEAT) || REPEAT < 1)
	throw new Error(
		`--repeat takes a whole number of uploads (1 or more), not "${process.argv[repeatArg + 1]}".`
	);
const out = createOutput(false);

function choice(profile: string, lineRate: number): DeviceChoice {
	return { kind: 'host', profile, lineRate, baud: lineRate, timeoutMs: 5000 };
}

async function row(profile: string, lineRate: number, blob: Uint8Array) {
	const runs = [];
	let frames = '';
	for (let i = 0; i < REPEAT; i++) {
		// A fresh board each time, as `tinytwin upload` has: a board that runs the model has no room
		// for a second copy of it on a 192 KiB pool.
		const dev = await connect(choice(profile, lineRate), out);
		try {
			out.note(`${profile} @ ${lineRate || 'unthrottled'}: upload ${i + 1}/${REPEAT}…`);
			runs.push(await measureUpload(dev.session, blob, lineRate));
			frames = `${dev.session.hello.maxPayload} B × ${dev.session.hello.window}`;
		} finally {
			await dev.close();
		}
	}
	const s = runs.map((r) => r.seconds);
	return {
		profile,
		frames,
		rate: lineRate === 0 ? 'unthrottled pipe' : `${lineRate.toLocaleString('en-US')} baud`,
		seconds: median(s),
		spread: [Math.min(...s), Math.max(...s)] as const,
		efficiency: lineRate > 0 ? median(runs.map((r) => r.efficiency!)) : null,
		retransmitted: runs.reduce((a, r) => a + r.retransmittedBytes, 0)
	};
}

async function main() {
	const { model } = await loadModelInput(MODEL);
	const rows = [];
	for (const [profile, lineRate] of [
		['nano33ble', 115200],
		['host', 115200],
		['nano33ble', 0],
		['host', 0]
	] as const)
		rows.push(await row(profile, lineRate, model.bytes));
	const t = (x: number) => (x < 1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(2)} s`);
	console.log(
		`QA model blob ${model.bytes.length.toLocaleString('en-US')} B (${MODEL}), median of ${REPEAT}, ` +
			`${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`
	);
	console.log(
		'| board profile | frames (payload × window) | line | time (median) | min – max | efficiency | bytes sent again |'
	);
	console.log('| --- | --- | --- | --- | --- | --- | --- |');
	for (const r of rows)
		console.log(
			`| ${r.profile} | ${r.frames} | ${r.rate} | **${t(r.seconds)}** | ${t(r.spread[0])} – ${t(r.spread[1])} | ${r.efficiency === null ? '—' : `${(100 * r.efficiency).toFixed(1)} %`} | ${r.retransmitted} |`
		);
}

await main();
