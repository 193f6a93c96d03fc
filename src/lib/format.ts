// Number and size formatting shared by the app and the CLI (fixed style; no locale surprises in tests).

export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return '—';
	if (n < 1024) return `${Math.round(n)} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

export function formatRate(bytesPerSecond: number): string {
	return Number.isFinite(bytesPerSecond) && bytesPerSecond > 0
		? `${formatBytes(bytesPerSecond)}/s`
		: '—';
}

export function formatSeconds(s: number): string {
	if (!Number.isFinite(s)) return '—';
	if (s < 1) return `${Math.round(s * 1000)} ms`;
	if (s < 60) return `${s.toFixed(1)} s`;
	return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Fixed decimals; "—" for NaN (no points yet). */
export function formatFixed(v: number, digits = 4): string {
	return Number.isFinite(v) ? v.toFixed(digits) : '—';
}

export function formatMicros(us: number): string {
	if (!Number.isFinite(us)) return '—';
	return us < 10 ? `${us.toFixed(1)} µs` : `${Math.round(us)} µs`;
}

export function formatHex32(n: number): string {
	return '0x' + (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

export function formatDate(ms: number): string {
	const d = new Date(ms);
	const pad = (v: number) => String(v).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
