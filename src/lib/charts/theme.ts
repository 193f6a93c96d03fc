// Series colours readable on light and dark backgrounds (checked against both themes), and the
// text / grid colours read from the page's CSS custom properties so charts follow the colour scheme.

export const SERIES = {
	truth: '#64748b',
	reference: '#2563eb',
	board: '#ea580c',
	residual: '#9333ea',
	cars: '#0d9488',
	test: '#94a3b8',
	timing: '#0f766e'
} as const;

export interface ChartTheme {
	text: string;
	grid: string;
}

export function readTheme(el: Element): ChartTheme {
	const style = getComputedStyle(el);
	return {
		text: style.getPropertyValue('--chart-text').trim() || '#334155',
		grid: style.getPropertyValue('--chart-grid').trim() || 'rgba(100, 116, 139, 0.25)'
	};
}
