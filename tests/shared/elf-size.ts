// Section sizes of an ELF image as binutils' `size -A` prints them (avr-size, arm-none-eabi-size).
import { execFileSync } from 'node:child_process';

export interface ImageSizes {
	text: number;
	data: number;
	bss: number;
}

export function imageSizes(sizeTool: string, elf: string): ImageSizes {
	const out = execFileSync(sizeTool, ['-A', elf], { encoding: 'utf8' });
	const section = (name: string) =>
		Number(new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(out)?.[1] ?? 0);
	return { text: section('.text'), data: section('.data'), bss: section('.bss') };
}
