// On-device cost per emulated target (issue 5): instructions or cycles per inference for the sine and
// MPG demos, flash and static RAM of the core and of each image, arena bytes; next to TFLM's reference
// figures for the same hello_world model on the same emulated Cortex-M4.
//
//   npx tsx bench/targets.ts     (builds what it needs; writes the "targets" section of docs/benchmarks.md)
//
// Cortex-M4: QEMU mps2-an386 with -icount shift=0 (one instruction per ns of virtual time); the
// board's tick is the 25 MHz FPGAIO counter, so one tick is 40 instructions; INFER_OK's ticks cover
// model_invoke, averaged over every inference of a batch. ATmega2560: the real sketch under simavr;
// cycles are exact (see docs/targets/avr-simavr.md for how they are taken).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mpgModel, mpgSplit } from '../src/lib/demos/mpg/mpg';
import { sineModel } from '../src/lib/demos/sine/sine';
import type { Session } from '../src/lib/protocol';
import { readBlob } from '../src/lib/model/format/blob-reader';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import { importTflite } from '../src/lib/model/tflite';
import { AvrBoard, ELF as AVR_ELF, requireAvr } from '../tests/conformance/avr-board';
import { QemuM4Board, requireQemuM4 } from '../tests/conformance/qemu-m4-board';
import { imageSizes } from '../tests/shared/elf-size';
import { writeSection } from './doc-section';

const int8Bytes = (qs: readonly number[]) => Uint8Array.from(qs, (q) => q & 0xff);
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Workload {
	name: string;
	blob: Uint8Array;
	inputs: number[];
}

function workloads(): Workload[] {
	const sine = sineModel();
	const mpg = mpgModel();
	const helloWorld = writeBlob(
		importTflite(
			new Uint8Array(
				readFileSync(new URL('../../shared/data/tflm/hello_world_int8.tflite', import.meta.url))
			)
		)
	);
	return [
		{
			name: 'hello_world',
			blob: helloWorld,
			inputs: Array.from({ length: 256 }, (_, i) => i - 128)
		},
		{ name: 'sine', blob: sine.blob, inputs: Array.from({ length: 256 }, (_, i) => i - 128) },
		{
			name: 'mpg',
			blob: mpg.blob,
			inputs: mpgSplit().test.map((r) => mpg.quantizeInput(r.horsepower))
		}
	];
}

/** Mean ticks per inference over one batch of every input, `repeats` times; the median of those. */
async function ticksPerInference(s: Session, w: Workload, repeats: number): Promise<number> {
	await s.upload(w.blob);
	const means: number[] = [];
	for (let r = 0; r < repeats; r++) {
		const out = await s.infer(int8Bytes(w.inputs), {
			count: w.inputs.length,
			inputBytes: 1,
			outputBytes: 1
		});
		means.push(out.ticks.reduce((a, b) => a + b, 0) / out.ticks.length);
	}
	return median(means);
}

function m4Sizes(): { core: number; text: number; data: number; bss: number } {
	const out = execFileSync('make', ['-s', '-C', 'firmware/targets/qemu-m4', 'sizes'], {
		encoding: 'utf8'
	});
	const core = Number(/core in the linked image \(from the map\): flash (\d+) B/.exec(out)?.[1]);
	const image = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+[0-9a-f]+\s+tinytwin-m4\.elf/m.exec(out);
	if (!core || !image) throw new Error(`unexpected output of make sizes:\n${out}`);
	return { core, text: Number(image[1]), data: Number(image[2]), bss: Number(image[3]) };
}

interface AvrCost {
	cycles: Record<string, number>;
	insns: Record<string, number>;
	stackPeak: number;
	text: number;
	data: number;
	bss: number;
}

/** The real sketch under simavr: the harness logs exact cycles and instructions per inference. */
async function avrCost(ws: Workload[]): Promise<AvrCost> {
	requireAvr();
	const dir = mkdtempSync(join(tmpdir(), 'tt-bench-avr-'));
	const costFile = join(dir, 'cost.json');
	const board = new AvrBoard(['--cost', costFile]);
	const s = await board.start();
	const counts: number[] = [];
	for (const w of ws) {
		await s.upload(w.blob);
		await s.infer(int8Bytes(w.inputs), { count: w.inputs.length, inputBytes: 1, outputBytes: 1 });
		counts.push(w.inputs.length);
	}
	await board.stop();
	const raw = JSON.parse(readFileSync(costFile, 'utf8')) as {
		stackPeakBytes: number;
		inferences: { cycles: number; insns: number; isrCycles: number }[];
	};
	rmSync(dir, { recursive: true, force: true });
	const cycles: Record<string, number> = {};
	const insns: Record<string, number> = {};
	let at = 0;
	ws.forEach((w, i) => {
		const xs = raw.inferences.slice(at, at + counts[i]!);
		at += counts[i]!;
		cycles[w.name] = median(xs.map((x) => x.cycles));
		insns[w.name] = median(xs.map((x) => x.insns));
	});
	return { cycles, insns, stackPeak: raw.stackPeakBytes, ...imageSizes('avr-size', AVR_ELF) };
}

const SKETCH_BOARDS = [
	'nano33ble',
	'pico',
	'pico-mbed',
	'thingplus',
	'esp32',
	'esp32s3-usb',
	'mkrzero'
] as const;

/**
 * Sketch + library for the boards without a local core, as `make check-sketches` links them against
 * the stand-in headers' empty bodies: the TinyTwin part of the image only, not the board's core.
 */
function sketchSizes(): string[] {
	execFileSync('make', ['-s', '-C', 'firmware', 'check-sketches'], { stdio: 'ignore' });
	return SKETCH_BOARDS.map((b) => {
		const z = imageSizes('arm-none-eabi-size', `firmware/build/sketches/${b}/sketch.elf`);
		return `| ${b} | ${fmt(z.text + z.data)} B | ${fmt(z.data + z.bss)} B |`;
	});
}

async function main(): Promise<void> {
	const ws = workloads();
	const arena = Object.fromEntries(ws.map((w) => [w.name, readBlob(w.blob).arenaSize]));

	requireQemuM4();
	const m4 = new QemuM4Board(['--icount']);
	const s = await m4.start();
	const m4Insns: Record<string, number> = {};
	for (const w of ws) m4Insns[w.name] = (await ticksPerInference(s, w, 3)) * 40;
	await m4.stop();
	const m4s = m4Sizes();
	const avr = await avrCost(ws);
	const sketches = sketchSizes();

	const rows = [
		`| Cortex-M4 (QEMU mps2-an386, \`-Os\`) | instructions | **${fmt(m4Insns.hello_world!)}** | ${fmt(m4Insns.sine!)} | ${fmt(m4Insns.mpg!)} | ${fmt(m4s.core)} B | ${fmt(m4s.text + m4s.data)} B | ${fmt(m4s.data + m4s.bss)} B |`,
		`| TFLM reference kernels, same M4 (issue figures) | instructions | 5 230 | — | — | ~14.9 KB (TFLM code) | — | — |`,
		`| ATmega2560, the real sketch (simavr, 16 MHz) | cycles | ${fmt(avr.cycles.hello_world!)} | **${fmt(avr.cycles.sine!)}** (${fmt(avr.cycles.sine! / 16)} µs) | ${fmt(avr.cycles.mpg!)} (${fmt(avr.cycles.mpg! / 16)} µs) | — | ${fmt(avr.text + avr.data)} B | ${fmt(avr.data + avr.bss)} B + ${fmt(avr.stackPeak)} B stack seen |`,
		`| ATmega2560, same | instructions | ${fmt(avr.insns.hello_world!)} | ${fmt(avr.insns.sine!)} | ${fmt(avr.insns.mpg!)} | | | |`
	];
	writeSection(
		'targets',
		`## On-device cost per target

Measured by \`npx tsx bench/targets.ts\` (${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}; the AVR
cycle counts are exact; the M4 counts repeat on a quiet host, but QEMU's virtual clock also runs while
the guest sleeps, so a loaded host can inflate them: run this alone).

Method — Cortex-M4: \`qemu-system-arm -M mps2-an386 -icount shift=0\` runs one guest instruction per
nanosecond of virtual time; the board's tick is the 25 MHz FPGAIO counter (40 instructions), and
INFER_OK carries the ticks around \`model_invoke\`; each figure is the mean over a whole batch (256 sine
inputs each for hello_world and sine, ${ws[2]!.inputs.length} MPG test cars), median of 3 batches. Sizes from the linker map
(\`make -C firmware/targets/qemu-m4 sizes\`, \`firmware/targets/qemu-m4/core-size.sh\`).
ATmega2560: the sketch built by \`make -C firmware/targets/avr\` (arduino-mk, Debian's Arduino AVR core,
\`-Os -flto\`) in the simavr harness, which counts exact cycles (interrupts included) and instructions
(outside interrupt handlers) between the sketch's two \`ticks()\` reads around \`model_invoke\`; median
over the batch. Sizes: \`avr-size -A\` of the image (the whole sketch: core, Arduino core, UART driver).

| target | unit | TFLM hello_world_int8 | sine demo (1→16→16→1) | MPG | core flash | image flash | image static RAM |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Goal (issue 5): ≤ 1 300 instructions per hello_world inference on the M4, core ≤ 12 KB (12 288 B).

Arena (planned by the sender, the same on every board): hello_world ${arena.hello_world} B, sine ${arena.sine} B, MPG ${arena.mpg} B (goal ≤ 64 B);
TFLM needs 676 B used / 1 068 B smallest working for hello_world.

The sketch for boards without a local Arduino core, as \`make -C firmware check-sketches\` links it
(\`-Os\`, each core's CPU flags, against the documented stand-in headers): the TinyTwin part only — the
board's own core, USB stack and RTOS come on top. Static RAM is mostly the model pool
(docs/targets/arduino.md gives each budget).

| sketch build | flash (sketch + library) | static RAM (sketch + library) |
|---|---|---|
${sketches.join('\n')}`
	);
	console.error('wrote docs/benchmarks.md (section targets)');
}

await main();
