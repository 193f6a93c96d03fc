// tinytwin check and tinytwin export as a user runs them: real processes, no board needed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tinytwin } from './tinytwin';
import { syntheticBlobNear } from '../../cli/synthetic-model';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { BOARD_PROFILES } from '../../src/lib/model/fit/board-profiles';
import { estimateInferenceTime } from '../../src/lib/model/fit/inference-time';
import { readBlob } from '../../src/lib/model/format/blob-reader';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'tt-cli-check-'));

function file(name: string, bytes: Uint8Array | string): string {
	const path = join(dir, name);
	writeFileSync(path, bytes);
	return path;
}

const sineBlob = sineModel().blob;
const TFLITE = '../shared/data/tflm/hello_world_int8.tflite';

describe('tinytwin check', () => {
	it('the sine blob fits every known profile (exit 0)', async () => {
		const path = file('sine.ttm', sineBlob);
		for (const p of BOARD_PROFILES) {
			const r = await tinytwin('check', path, '--board-profile', p.id, '--json');
			expect(r.code, p.id + r.stderr).toBe(0);
			const out = JSON.parse(r.stdout);
			expect(out.fits).toBe(true);
			expect(out.profile).toBe(p.id);
			expect(out.modelBytes).toBe(sineBlob.length);
			expect(out.ram.available).toBe(p.poolBytes);
		}
		const text = await tinytwin('check', path, '--board-profile', 'Nano 33 BLE Sense');
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^FITS: "sine \(int8\)" on Arduino Nano 33 BLE/);
	});

	it('prints the estimated time on the profile, labelled an estimate (issue 10)', async () => {
		const path = file('sine-time.ttm', sineBlob);
		const mega = await tinytwin('check', path, '--board-profile', 'mega2560');
		expect(mega.stdout).toMatch(
			/^ {2}time: {3}~[\d.]+ (µs|ms) per inference — estimate on mega2560 at 16 MHz, per-op cost model calibrated under emulation/m
		);
		const json = JSON.parse(
			(await tinytwin('check', path, '--board-profile', 'mega2560', '--json')).stdout
		);
		const want = estimateInferenceTime(readBlob(sineBlob), 'mega2560')!;
		expect(json.estimate).toMatchObject({ seconds: want.seconds, cpuHz: 16e6, calibrated: true });
		const pico = await tinytwin('check', path, '--board-profile', 'rp2040');
		expect(pico.stdout).toMatch(/estimate on rp2040 at 133 MHz, not calibrated for this chip/);
		const host = await tinytwin('check', path, '--board-profile', 'host', '--json');
		expect(JSON.parse(host.stdout).estimate).toBeNull();
	});

	it('a big model does not fit the Mega 2560: exit 1 with the tensor and the shortfall', async () => {
		const path = file('big.ttm', syntheticBlobNear(6000, 3));
		const r = await tinytwin('check', path, '--board-profile', 'mega2560');
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(/^DOES NOT FIT/);
		expect(r.stdout).toMatch(
			/The model needs .* of RAM .* but the board has 4\.0 KiB; it is .* too large\. The largest part is the weights of op 1 \(FULLY_CONNECTED\): tensor \d+ \(int8 \[49×49\]/
		);
		const json = await tinytwin('check', path, '--board-profile', 'mega2560', '--json');
		expect(json.code).toBe(1);
		const out = JSON.parse(json.stdout);
		expect(out.fits).toBe(false);
		expect(out.problems[0].excessBytes).toBe(out.ram.needed - 4096);
		// The same model fits the Nano 33 BLE's flash slot.
		const flash = await tinytwin('check', path, '--board-profile', 'nano33ble', '--slot', 'flash');
		expect(flash.code).toBe(0);
	});

	it('imports a .tflite (hello_world int8 and float) and checks it', async () => {
		for (const id of ['mega2560', 'samd21', 'nano33ble']) {
			const r = await tinytwin('check', TFLITE, '--board-profile', id, '--json');
			expect(r.code, id + r.stderr).toBe(0);
			const out = JSON.parse(r.stdout);
			expect(out).toMatchObject({ fits: true, format: 'tflite', model: 'hello_world_int8' });
			expect(out.ops.present).toEqual([{ opcode: 9, name: 'FULLY_CONNECTED', count: 3 }]);
		}
		const float = await tinytwin(
			'check',
			TFLITE.replace('int8', 'float'),
			'--board-profile',
			'mega2560'
		);
		expect(float.code).toBe(0);
		const cut = file('cut.tflite', new Uint8Array(readFileSync(TFLITE)).subarray(0, 1000));
		const r = await tinytwin('check', cut, '--board-profile', 'esp32');
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/cannot be imported: .*truncated/);
	});

	it('bad input: usage errors exit 2, bad files exit 1, each with a sentence', async () => {
		const sine = file('sine2.ttm', sineBlob);
		const usage: [string[], RegExp][] = [
			[['check'], /Which model\?/],
			[['check', sine], /Which board\? .*nano33ble, rp2040, esp32, esp32s3, samd21, mega2560/],
			[
				['check', sine, '--board-profile', 'uno'],
				/Unknown board profile "uno"\. Known profiles: host, nano33ble, rp2040, esp32, esp32s3, samd21, mega2560\./
			],
			[['check', sine, '--board-profile', 'esp32', '--slot', 'sd'], /--slot must be/]
		];
		for (const [args, message] of usage) {
			const r = await tinytwin(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).toMatch(message);
		}
		const files: [string, RegExp][] = [
			[join(dir, 'nope.ttm'), /There is no file/],
			[dir, /is a folder/],
			[
				file('text.ttm', 'hello, this is not a model at all; '.repeat(4)),
				/not a valid model: .*TTMB/
			],
			[
				file('cut.ttm', sineBlob.subarray(0, sineBlob.length - 5)),
				/not a valid model: .*truncated/
			],
			[file('short.ttm', sineBlob.subarray(0, 20)), /not a valid model: .*64-byte/]
		];
		for (const [path, message] of files) {
			const r = await tinytwin('check', path, '--board-profile', 'esp32');
			expect(r.code, path).toBe(1);
			expect(r.stderr, path).toMatch(message);
		}
	});
});

describe('tinytwin export', () => {
	it('--header gives C that compiles and holds exactly the blob', async () => {
		const path = file('sine3.ttm', sineBlob);
		const r = await tinytwin('export', path, '--header', '--name', 'g_sine');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^unsigned char g_sine\[\] = \{\n {2}0x54, 0x54, 0x4d, 0x42,/);
		expect(r.stdout).toContain(`unsigned int g_sine_len = ${sineBlob.length};`);
		const c = file(
			'main.c',
			`#include <stdio.h>\n${r.stdout}\nint main(void) {\n  unsigned long sum = 0;\n  for (unsigned int i = 0; i < g_sine_len; ++i) sum += g_sine[i];\n  printf("%u %lu\\n", g_sine_len, sum);\n  return 0;\n}\n`
		);
		const exe = join(dir, 'sum');
		await run('cc', ['-std=c99', '-Wall', '-Werror', '-o', exe, c]);
		const { stdout } = await run(exe, []);
		const sum = sineBlob.reduce((a, b) => a + b, 0);
		expect(stdout.trim()).toBe(`${sineBlob.length} ${sum}`);
	});

	it('-o writes the blob or a header file; --tflite embeds a .tflite as it is', async () => {
		const path = file('sine4.ttm', sineBlob);
		const blobOut = join(dir, 'copy.ttm');
		const r = await tinytwin('export', path, '-o', blobOut, '--json');
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout)).toMatchObject({ format: 'blob', bytes: sineBlob.length });
		expect(new Uint8Array(readFileSync(blobOut))).toEqual(sineBlob);

		const headerOut = join(dir, 'model.h');
		const h = await tinytwin('export', path, '-o', headerOut);
		expect(h.code).toBe(0);
		expect(h.stdout).toMatch(/^Wrote .*model\.h: sine__int8_\[\]/);
		expect(readFileSync(headerOut, 'utf8')).toMatch(/unsigned int sine__int8__len = \d+;\n$/);

		const tflite = new Uint8Array(readFileSync(TFLITE));
		const t = await tinytwin('export', TFLITE, '--header', '--tflite');
		expect(t.code).toBe(0);
		// TFLM's form: a comment on what it is, then alignas(16) const; the bytes unchanged.
		expect(t.stdout).toMatch(
			/^\/\/ The original TensorFlow Lite model \(hello_world_int8\.tflite\)/
		);
		expect(t.stdout).toContain('tflite::GetModel(hello_world_int8)');
		expect(t.stdout).toContain('\nalignas(16) const unsigned char hello_world_int8[] = {\n');
		expect(t.stdout).toContain(`\nconst unsigned int hello_world_int8_len = ${tflite.length};\n`);
		const hex = [...t.stdout.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
		expect(Uint8Array.from(hex)).toEqual(tflite);
		// Without --tflite, the header holds the converted blob.
		const b = await tinytwin('export', TFLITE, '--header');
		expect(b.code).toBe(0);
		expect(b.stdout).toMatch(
			/^unsigned char hello_world_int8\[\] = \{\n {2}0x54, 0x54, 0x4d, 0x42,/
		);
		const converted = join(dir, 'hello.ttm');
		expect((await tinytwin('export', TFLITE, '-o', converted)).code).toBe(0);
		const again = await tinytwin('check', converted, '--board-profile', 'mega2560', '--json');
		expect(JSON.parse(again.stdout)).toMatchObject({ fits: true, format: 'blob' });
	});

	it('bad input: usage errors exit 2, bad files exit 1', async () => {
		const sine = file('sine5.ttm', sineBlob);
		for (const args of [
			['export'],
			['export', sine],
			['export', sine, '-o', join(dir, 'x.ttm'), '--tflite'],
			['export', sine, '--header', '--name', '9lives'],
			['export', sine, '--header', '--json'],
			['export', sine, '--bogus']
		]) {
			const r = await tinytwin(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr).toMatch(/tinytwin: .+/);
		}
		const files: [string[], RegExp][] = [
			[['export', join(dir, 'none.ttm'), '--header'], /There is no file/],
			[['export', file('junk.ttm', new Uint8Array(100)), '--header'], /not a valid model/],
			[['export', sine, '--header', '--tflite'], /not a TensorFlow Lite flatbuffer/],
			[['export', sine, '-o', join(dir, 'no-such-dir', 'x.ttm')], /cannot be written/]
		];
		for (const [args, message] of files) {
			const r = await tinytwin(...args);
			expect(r.code, args.join(' ')).toBe(1);
			expect(r.stderr).toMatch(message);
		}
	});
});
