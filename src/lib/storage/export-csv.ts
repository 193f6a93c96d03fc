// CSV export of a run, RFC 4180: CRLF line ends, a field is quoted ("…", inner quotes doubled)
// when it holds a comma, a quote, a line break or leading/trailing spaces.
//
// Layout (chosen so spreadsheets and pandas read it, and metadata is not repeated on every row):
//   # key: value          one line per run fact (board, model, dates…): read with
//                         pandas.read_csv(f, comment='#'); values are quoted as fields are, and
//                         line breaks inside them are replaced by spaces so each stays one line.
//   index,x,truth,…       the header row, then one row per point in index order.
// Numbers are written with full precision (shortest text that reads back as the same binary64);
// a null truth is an empty field. `micros` is ticks converted with the run's tickHz.

import type { RunPoint, RunRecord } from './schema';

export const CSV_COLUMNS = [
	'index',
	'x',
	'truth',
	'device_q',
	'device',
	'expected_q',
	'expected',
	'float',
	'ticks',
	'micros'
] as const;

export function csvField(value: string | number | null): string {
	if (value === null) return '';
	const s = String(value);
	return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const hex32 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The `# key: value` lines, in this order; absent optional facts are omitted. */
export function runMetadata(run: RunRecord): [string, string | number][] {
	const rows: [string, string | number | null | undefined][] = [
		['format', 'tinytwin-run 1'],
		['run_id', run.id],
		['status', run.status],
		['error', run.error],
		['demo', run.demo],
		['model', run.model.name],
		['model_crc32', hex32(run.model.crc)],
		['model_bytes', run.model.length],
		['board', run.board.name],
		['firmware', run.board.firmware],
		['transport', run.board.transport],
		['started', run.started.toISOString()],
		['finished', run.finished?.toISOString()],
		['inputs', run.inputs.source],
		['inputs_description', run.inputs.description],
		['input_count', run.inputs.count],
		['input_min', run.inputs.min],
		['input_max', run.inputs.max],
		['tick_hz', run.tickHz],
		['points', run.pointCount]
	];
	return rows.filter((r): r is [string, string | number] => r[1] !== null && r[1] !== undefined);
}

export function runToCsv(run: RunRecord, points: readonly RunPoint[]): string {
	const lines = runMetadata(run).map(
		([key, value]) =>
			`# ${key}: ${csvField(typeof value === 'string' ? value.replace(/\r\n|[\r\n]/g, ' ') : value)}`
	);
	lines.push(CSV_COLUMNS.join(','));
	for (const p of points) {
		const micros = (p.ticks * 1e6) / run.tickHz;
		const row = [
			p.index,
			p.x,
			p.truth,
			p.deviceQ,
			p.device,
			p.expectedQ,
			p.expected,
			p.float,
			p.ticks,
			micros
		];
		lines.push(row.map(csvField).join(','));
	}
	return lines.map((l) => `${l}\r\n`).join('');
}
