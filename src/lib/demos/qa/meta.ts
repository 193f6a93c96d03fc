import type { DemoMeta } from '../demo';

export const qaMeta: DemoMeta = {
	id: 'qa',
	title: 'Question answering (SQuAD spans)',
	summary:
		'Picks the answer to a question in a passage: start and end scores for 128 hashed tokens, 1-D convolutions, int8.',
	io: {
		kind: 'spans',
		xLabel: 'window',
		yLabel: 'answer span',
		// The converter orders the outputs end, start (the binding finds them by name).
		spanOutputs: [1, 0]
	},
	unit: 'windows',
	truthLabel: 'SQuAD answer'
};
