// The held-out examples asset (static/qa/held-out.json, built from SQuAD v1.1 dev by
// scripts/vite-qa-held-out.ts): the questions of the 8 articles the QA model never saw, with the
// attribution to show. Absent when the build had no SQuAD file: the page then offers pasted text.
import { asset } from '$app/paths';
import { squadQuestions, type QaQuestion } from '$lib/qa/batch';

export const HELD_OUT_URL = '/qa/held-out.json';

export interface HeldOut {
	questions: QaQuestion[];
	attribution: string;
	/** Article titles in file order. */
	articles: string[];
}

let loading: Promise<HeldOut | null> | null = null;

/** The held-out questions, or null when this build has none (fetched once). */
export function loadHeldOut(): Promise<HeldOut | null> {
	loading ??= fetch(asset(HELD_OUT_URL)).then(async (r) => {
		if (!r.ok) return null;
		const json = (await r.json()) as { attribution?: unknown };
		const questions = squadQuestions(json, 'The held-out examples file');
		return {
			questions,
			attribution: typeof json.attribution === 'string' ? json.attribution : 'SQuAD v1.1',
			articles: [...new Set(questions.map((q) => q.title ?? ''))]
		};
	});
	loading.catch(() => (loading = null));
	return loading;
}
