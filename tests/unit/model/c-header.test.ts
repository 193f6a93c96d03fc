import { describe, expect, it } from 'vitest';
import { cIdentifier, toCHeader, toTfliteCHeader } from '../../../src/lib/model/format/c-header';

describe('toCHeader', () => {
	it('prints xxd -i style: 12 bytes a line, lowercase hex, length variable', () => {
		const bytes = Uint8Array.from({ length: 14 }, (_, i) => i * 17);
		expect(toCHeader(bytes, 'model')).toBe(
			'unsigned char model[] = {\n' +
				'  0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,\n' +
				'  0xcc, 0xdd\n' +
				'};\n' +
				'unsigned int model_len = 14;\n'
		);
	});

	it('handles an exact multiple of 12, the empty array and alignment', () => {
		const text = toCHeader(new Uint8Array(12), 'z');
		expect(text.split('\n')[1]).toBe('  ' + Array(12).fill('0x00').join(', '));
		expect(text.split('\n')[2]).toBe('};');
		expect(toCHeader(new Uint8Array(0), 'e')).toBe(
			'unsigned char e[] = {\n};\nunsigned int e_len = 0;\n'
		);
		expect(toCHeader(Uint8Array.of(255), 'a', { align16: true })).toContain(
			'unsigned char a[] __attribute__((aligned(16))) = {\n  0xff\n};'
		);
	});

	it('sanitises names into C identifiers', () => {
		expect(cIdentifier('sine-int8.ttm')).toBe('sine_int8_ttm');
		expect(cIdentifier('8bit model')).toBe('_8bit_model');
		expect(cIdentifier('modèle')).toBe('mod_le');
		expect(cIdentifier('')).toBe('model');
	});
});

describe('toTfliteCHeader', () => {
	it("prints the .tflite in TFLM's form: alignas(16) const, with a comment on its use", () => {
		const bytes = Uint8Array.of(0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33);
		expect(toTfliteCHeader(bytes, 'hello world', { source: 'hello_world.tflite\nx' })).toBe(
			'// The original TensorFlow Lite model (hello_world.tflite x): the .tflite flatbuffer, 8 bytes,\n' +
				"// unchanged, in TensorFlow Lite Micro's form (C++11). Use it with TFLM, not with TinyTwin:\n" +
				'//   const tflite::Model* model = tflite::GetModel(hello_world);\n' +
				'//   tflite::MicroInterpreter interpreter(model, op_resolver, arena, arena_size);\n' +
				"// TinyTwin's firmware runs the blob header (the converted model) instead.\n" +
				'alignas(16) const unsigned char hello_world[] = {\n' +
				'  0x1c, 0x00, 0x00, 0x00, 0x54, 0x46, 0x4c, 0x33\n' +
				'};\n' +
				'const unsigned int hello_world_len = 8;\n'
		);
	});
});
