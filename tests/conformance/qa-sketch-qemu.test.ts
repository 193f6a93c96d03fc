// docs/targets/qa-sketch.md: the standalone QA sketch (firmware/examples/TinyTwinQA: the int8 QA
// model compiled in, tokenizer, features, windows and best span on the board) built for the
// emulated Cortex-M4 (QEMU mps2-an386, the stand-in Arduino API on its UART:
// firmware/targets/qemu-m4/sketch_main.cpp) and asked questions over its serial line. Each answer
// must be what the TypeScript side computes for the same passage and question with the int8
// expectation (qaReference + answer: the reference executor, byte-equal to TFLM on this model):
// the same span, window, text and score.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { qaReference } from '../../src/lib/demos/qa/reference';
import { importTflite, writeBlob } from '../../src/lib/model';
import { answer } from '../../src/lib/qa/qa-model';
import { tokenize } from '../../src/lib/qa/tokenizer';
import { windowStarts } from '../../src/lib/qa/windows';
import { QEMU_M4_DIR, RUN_BOARD } from './qemu-m4-board';

const SKETCH = resolve('firmware/examples/TinyTwinQA');
const QA_ELF = resolve('firmware/build/qemu-m4-qa/tinytwin-qa.elf');
const TFLITE = resolve('src/lib/demos/qa/model/qa_int8.tflite');

// Answers in each of the passage's three windows; the first lies after "Østby" (a 2-byte UTF-8
// letter, so its byte offsets differ from its UTF-16 ones); the second line ends in CR LF, as a
// serial monitor set to "Both NL & CR" sends it.
const QUESTIONS = [
	'Who was the last keeper?',
	'When did the great storm happen?',
	'When does the town hold a festival?'
];
const INPUT = `${QUESTIONS[0]}\n${QUESTIONS[1]}\r\n${QUESTIONS[2]}\n`;

/** QEMU and the cross compiler; missing tools are a failure with the package to install. */
function requireTools(): void {
	const onPath = (cmd: string) =>
		(process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(resolve(dir, cmd)));
	const missing = [
		['qemu-system-arm', 'qemu-system-arm'],
		['arm-none-eabi-g++', 'gcc-arm-none-eabi and libnewlib-arm-none-eabi']
	].filter(([cmd]) => !onPath(cmd!));
	if (missing.length > 0) {
		throw new Error(
			`The QA sketch on the Cortex-M4 needs ${missing.map(([c, p]) => `${c} (Debian: ${p})`).join(' and ')}: install them with scripts/install-system-deps.sh.`
		);
	}
}

/** The passage as passage.h holds it: its adjacent string literals (no escapes) joined. */
function passageFromHeader(): string {
	const src = readFileSync(resolve(SKETCH, 'passage.h'), 'utf8');
	const init = src.slice(src.indexOf('kPassage[] ='));
	const parts = [...init.matchAll(/^\s*"([^"\\]*)";?$/gm)].map((m) => m[1]!);
	expect(parts.length).toBeGreaterThan(0);
	return parts.join('');
}

/** A `constexpr uint32_t NAME = N;` of the sketch. */
function sketchConstant(name: string): number {
	const src = readFileSync(resolve(SKETCH, 'TinyTwinQA.ino'), 'utf8');
	const m = new RegExp(`constexpr uint32_t ${name} = (\\d+);`).exec(src);
	if (!m) throw new Error(`TinyTwinQA.ino has no constexpr ${name}.`);
	return Number(m[1]);
}

interface BoardAnswer {
	question: string;
	text: string;
	startToken: number;
	endToken: number;
	startByte: number;
	endByte: number;
	window: number;
	windows: number;
	score: number;
	us: number;
}

function parseAnswers(out: string): BoardAnswer[] {
	const re =
		/^Q: (.*)\nA: (.*)\nspan: tokens (\d+)-(\d+), bytes (\d+)-(\d+), window (\d+) of (\d+), score (-?\d+\.\d{4})\ntime: (\d+) us for (\d+) windows$/gm;
	return [...out.matchAll(re)].map((m) => ({
		question: m[1]!,
		text: m[2]!,
		startToken: Number(m[3]),
		endToken: Number(m[4]),
		startByte: Number(m[5]),
		endByte: Number(m[6]),
		window: Number(m[7]),
		windows: Number(m[8]),
		score: Number(m[9]),
		us: Number(m[10])
	}));
}

describe('the standalone QA sketch on the Cortex-M4 (QEMU mps2-an386)', () => {
	let out = '';
	beforeAll(() => {
		requireTools();
		// Makes the model header (the CLI's export of qa_int8.tflite) and the sketch image, in a
		// build directory of its own (the protocol board's tests build theirs at the same time).
		execFileSync('make', ['-s', '-C', QEMU_M4_DIR, 'qa-sketch'], {
			stdio: ['ignore', 'ignore', 'inherit']
		});
		if (!existsSync(QA_ELF)) throw new Error(`${QA_ELF} was not built by make qa-sketch.`);
		// -icount: one instruction per ns, so "time" is instructions / 1000.
		const r = spawnSync(RUN_BOARD, ['--icount', '--elf', QA_ELF], {
			input: INPUT,
			encoding: 'utf8'
		});
		if (r.status !== 0) {
			throw new Error(`The QA sketch exited with ${r.status}: ${r.stderr}\n${r.stdout}`);
		}
		out = r.stdout;
	}, 240_000);

	it('greets with the model it holds and the passage of passage.h', () => {
		const passage = passageFromHeader();
		const blob = writeBlob(importTflite(new Uint8Array(readFileSync(TFLITE)), { name: 'qa_int8' }));
		const arena = new DataView(blob.buffer, blob.byteOffset).getUint32(12, true);
		const n = tokenize(passage).length;
		const windows = windowStarts(n, 128, 64).length;
		const head = out.split('\n');
		expect(head[0]).toBe(
			`TinyTwinQA: qa_int8, blob ${blob.length} bytes, arena ${arena} bytes; passage of ${n} tokens in ${windows} windows`
		);
		expect(head[1]).toBe(`Passage: ${passage}`);
		expect(arena).toBeLessThanOrEqual(sketchConstant('kArenaBytes'));
	});

	it('answers each question as the TypeScript int8 expectation does', () => {
		const passage = passageFromHeader();
		const ref = qaReference(new Uint8Array(readFileSync(TFLITE)), 'qa_int8');
		// The blob has no tensor names: the sketch names the outputs by index, bindQaModel by name.
		expect([ref.binding.start, ref.binding.end]).toEqual([
			sketchConstant('kStartOutput'),
			sketchConstant('kEndOutput')
		]);
		// docs/qa.md's answer rule: stride 64, spans of at most 30 tokens.
		const stride = sketchConstant('kStride');
		const maxTokens = sketchConstant('kMaxSpanTokens');
		expect([stride, maxTokens]).toEqual([64, 30]);
		const board = parseAnswers(out);
		expect(board.map((a) => a.question)).toEqual(QUESTIONS);
		for (const a of board) {
			const want = answer(ref.binding, passage, a.question, ref.run, stride, maxTokens);
			const context = `question "${a.question}"`;
			expect(a.text, context).toBe(want.text);
			expect([a.startToken, a.endToken], context).toEqual([
				want.span.startToken,
				want.span.endToken
			]);
			// Byte offsets from Node's own UTF-8 encoder over the UTF-16 offsets.
			expect([a.startByte, a.endByte], context).toEqual([
				Buffer.byteLength(passage.slice(0, want.start)),
				Buffer.byteLength(passage.slice(0, want.end))
			]);
			expect(a.window, context).toBe(want.span.window);
			expect(a.windows, context).toBe(want.windows.length);
			// Printed with four decimals, rounded.
			expect(Math.abs(a.score - want.span.score), context).toBeLessThanOrEqual(0.00005 + 1e-9);
			expect(a.us, context).toBeGreaterThan(0);
		}
		// The three questions were chosen so their answers come from the three windows.
		expect(board.map((a) => a.window)).toEqual([0, 1, 2]);
		console.log(
			`[qa-sketch] ${board.map((a) => `"${a.text}" ${a.us} us`).join(', ')} (-icount: µs × 1000 = instructions per question)`
		);
	});
});
