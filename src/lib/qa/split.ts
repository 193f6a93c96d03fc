// The article split of SQuAD v1.1 dev for the QA model (docs/qa.md §7). Pure.
//
// The dev set has 48 articles. Eight are held out: never trained on, never used to choose anything
// (architecture, epochs, thresholds); the held-out EM/F1 figures are measured on them only. They are
// the articles at sorted positions 3, 9, 15, … (every sixth, from the fourth). The other 40 train
// and tune the model; of those, the tune articles (every tenth from the sixth, in sorted order) are kept
// out of the gradient steps and decide when training stops.

export const HELD_OUT_ARTICLES: readonly string[] = [
	'Apollo_program',
	'Ctenophora',
	'Fresno,_California',
	'Imperialism',
	'Newcastle_upon_Tyne',
	'Prime_number',
	'Steam_engine',
	'Victoria_and_Albert_Museum'
];

export type ArticleRole = 'train' | 'tune' | 'held-out';

/** The role of every article title, given every title of the dataset. */
export function splitArticles(titles: readonly string[]): Map<string, ArticleRole> {
	const held = new Set(HELD_OUT_ARTICLES);
	const missing = HELD_OUT_ARTICLES.filter((t) => !titles.includes(t));
	if (missing.length > 0) {
		throw new Error(
			`The held-out articles ${missing.join(', ')} are not in this dataset: the split is defined on SQuAD v1.1 dev (dev-v1.1.json).`
		);
	}
	const rest = [...titles].filter((t) => !held.has(t)).sort();
	const roles = new Map<string, ArticleRole>();
	for (const t of held) roles.set(t, 'held-out');
	rest.forEach((t, i) => roles.set(t, i % 10 === 5 ? 'tune' : 'train'));
	return roles;
}
