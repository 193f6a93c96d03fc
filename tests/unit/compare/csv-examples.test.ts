// CSV rows to model examples: separators, quotes, header detection, the label column, and the
// sentences for files that do not fit the model.
import { describe, expect, it } from 'vitest';
import { csvExamples, guessLabelColumn, parseCsv } from '../../../src/lib/compare/csv-examples';

describe('parseCsv', () => {
	it('reads a header, quoted cells and any line ending', () => {
		const t = parseCsv('\uFEFFa,"b, c",label\r\n1,2,0\n3,"4",1\n');
		expect(t.columns).toEqual(['a', 'b, c', 'label']);
		expect(t.hasHeader).toBe(true);
		expect(t.rows).toEqual([
			[1, 2, 0],
			[3, 4, 1]
		]);
		expect(t.lines).toEqual([2, 3]);
		expect(guessLabelColumn(t.columns)).toBe(2);
	});

	it('takes semicolons or tabs, and numbers-only files have no header', () => {
		const t = parseCsv('1;2\n3;4\n');
		expect(t.hasHeader).toBe(false);
		expect(t.columns).toEqual(['column 1', 'column 2']);
		expect(parseCsv('x\ty\n1\t2').rows).toEqual([[1, 2]]);
	});

	it('says which line has the wrong number of cells', () => {
		expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(
			'Line 3 has 1 cells but the header has 2. Every row needs the same columns.'
		);
		expect(() => parseCsv('\n\n')).toThrow(/empty/);
	});
});

describe('csvExamples', () => {
	const t = parseCsv('a,b,c,label\n1,2,3,1\n4,5,6,0\n');

	it('fills the inputs in order from the columns other than the label', () => {
		expect(csvExamples(t, [2, 1], 3)).toEqual({
			examples: [
				[[1, 2], [3]],
				[[4, 5], [6]]
			],
			truths: [[1], [0]]
		});
		expect(csvExamples(parseCsv('a,b\n1,2'), [2], null).truths).toEqual([null]);
	});

	it('refuses a file whose columns do not match the model, or a cell that is not a number', () => {
		expect(() => csvExamples(t, [4], 3)).toThrow(
			"The model takes 4 input values per example (4), but the CSV has 3 columns besides the label. Give one column per input value, in the model's order."
		);
		expect(() => csvExamples(parseCsv('a,b\n1,x\n'), [2], null)).toThrow(
			'Line 2, column "b" is not a number. Every input cell must be one.'
		);
	});
});
