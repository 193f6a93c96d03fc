// Examples from a CSV file a person drops on the compare: one row per example, numeric columns
// mapped in order to the model's input elements (input 1's elements, then input 2's, …), and an
// optional label column (the truth: a real target, or a class number). Pure; every problem is a
// sentence naming the line and column and saying what to do.

export interface CsvTable {
	/** Column names (from the header row, or "column 1", "column 2", … when there is none). */
	columns: string[];
	hasHeader: boolean;
	/** Numeric cells, row by row (NaN where a cell is not a number). */
	rows: number[][];
	/** 1-based line number in the file of each row. */
	lines: number[];
}

export class CsvError extends Error {
	override name = 'CsvError';
}

/** Splits one CSV line on `sep`, honouring double quotes ("a ""b""" is a "b"). */
function splitLine(line: string, sep: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (quoted) {
			if (c === '"' && line[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === sep) {
			cells.push(cell);
			cell = '';
		} else cell += c;
	}
	cells.push(cell);
	return cells.map((s) => s.trim());
}

const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));

/** Parses CSV text (comma, semicolon or tab separated; an optional header row). */
export function parseCsv(text: string, limit = 100_000): CsvTable {
	const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	const numbered = raw
		.map((l, i) => ({ line: i + 1, text: l }))
		.filter((l) => l.text.trim() !== '' && !l.text.startsWith('#'));
	if (numbered.length === 0)
		throw new CsvError('The CSV file is empty: it needs one row per example.');
	const first = numbered[0]!.text;
	const sep = [',', ';', '\t'].reduce((best, s) =>
		first.split(s).length > first.split(best).length ? s : best
	);
	const head = splitLine(first, sep);
	const hasHeader = head.some((c) => !isNumber(c));
	const columns = hasHeader
		? head.map((c, i) => c || `column ${i + 1}`)
		: head.map((_, i) => `column ${i + 1}`);
	const body = hasHeader ? numbered.slice(1) : numbered;
	if (body.length === 0) throw new CsvError('The CSV file has a header but no rows of numbers.');
	if (body.length > limit) {
		throw new CsvError(
			`The CSV file has ${body.length} rows; at most ${limit} can be compared at once. Split it into smaller files.`
		);
	}
	const rows = body.map(({ line, text: l }) => {
		const cells = splitLine(l, sep);
		if (cells.length !== columns.length) {
			throw new CsvError(
				`Line ${line} has ${cells.length} cells but the ${hasHeader ? 'header' : 'first row'} has ${columns.length}. Every row needs the same columns.`
			);
		}
		return cells.map((c) => (isNumber(c) ? Number(c) : NaN));
	});
	return { columns, hasHeader, rows, lines: body.map((b) => b.line) };
}

/** The column a label is usually in: "label", "class", "target", "y", "truth" (any case). */
export function guessLabelColumn(columns: readonly string[]): number | null {
	const names = ['label', 'class', 'target', 'y', 'truth'];
	const i = columns.findIndex((c) => names.includes(c.trim().toLowerCase()));
	return i >= 0 ? i : null;
}

export interface CsvExamples {
	/** Per row: one flat array of real values per model input. */
	examples: number[][][];
	/** Per row: the label (truth), or null without a label column. */
	truths: (number[] | null)[];
}

/**
 * Maps the table's rows to examples for inputs of `counts` elements: the numeric columns other than
 * `label`, in order, fill input 1's elements, then input 2's, … Throws CsvError when the columns do
 * not match, or a cell the model needs is not a number.
 */
export function csvExamples(
	t: CsvTable,
	counts: readonly number[],
	label: number | null
): CsvExamples {
	const need = counts.reduce((a, b) => a + b, 0);
	const feature = t.columns.map((_, i) => i).filter((i) => i !== label);
	if (feature.length !== need) {
		const inputs = counts.map((c) => String(c)).join(' + ');
		throw new CsvError(
			`The model takes ${need} input value${need === 1 ? '' : 's'} per example (${inputs}), but the CSV has ${feature.length} column${feature.length === 1 ? '' : 's'}${label === null ? '' : ' besides the label'}. Give one column per input value, in the model's order${label === null ? ', and choose the label column if there is one' : ''}.`
		);
	}
	const examples = t.rows.map((row, r) => {
		const values = feature.map((c) => {
			const v = row[c]!;
			if (Number.isNaN(v)) {
				throw new CsvError(
					`Line ${t.lines[r]}, column "${t.columns[c]}" is not a number. Every input cell must be one.`
				);
			}
			return v;
		});
		let at = 0;
		return counts.map((n) => {
			const part = values.slice(at, at + n);
			at += n;
			return part;
		});
	});
	const truths = t.rows.map((row, r) => {
		if (label === null) return null;
		const v = row[label]!;
		if (Number.isNaN(v)) {
			throw new CsvError(
				`Line ${t.lines[r]}: the label "${t.columns[label]}" is not a number. Use class numbers (0, 1, …) or real targets.`
			);
		}
		return [v];
	});
	return { examples, truths };
}
