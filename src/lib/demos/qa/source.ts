// The QA demo's inputs as a compare source: every window of every question is one example; the
// int8 expectation is the engine's (the same blob the board runs), the float reference the trained
// float weights run by TensorFlow.js, computed chunk by chunk as the board answers. The plan says which windows make
// up which question, so the view puts answers back together per question.
import type { CompareSource } from '$lib/compare/source';
import type { BlobModel } from '$lib/model/format/blob-reader';
import { floatBlobModel, loadReference } from '$lib/reference';
import { answerTokens, planQa, type QaPlan, type QaQuestion } from '$lib/qa/batch';
import { blobCrc } from '../demo';
import { qaMeta } from './meta';
import type { QaDemoModel } from './qa';

export interface QaSource {
	source: CompareSource;
	plan: QaPlan;
}

const plans = new WeakMap<CompareSource, QaPlan>();

/** The plan of a QA source (which windows make up which question), or null for another source. */
export function planOf(source: CompareSource | null): QaPlan | null {
	return (source && plans.get(source)) ?? null;
}

/** Lets the page draw between chunks of the float reference. */
const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * `questions` through the QA model: `what` says where they come from (held-out questions or a
 * pasted passage) for the run record.
 */
export function qaSource(
	model: QaDemoModel,
	questions: readonly QaQuestion[],
	what: { source: 'test-set' | 'custom'; description: string }
): QaSource {
	const plan = planQa(model.binding, questions);
	const L = model.binding.shape.passageLength;
	const truths = plan.windows.map((w) => {
		const t = answerTokens(plan.passages[w.question]!, questions[w.question]!);
		// The answer's tokens in this window's coordinates, when the whole answer is inside it.
		return t && t.start >= w.start && t.end < w.start + Math.min(L, w.tokens)
			? [t.start - w.start, t.end - w.start]
			: null;
	});
	let floatModel: BlobModel | null = null;
	const floatRange = async (signal: AbortSignal, from: number, to: number) => {
		floatModel ??= floatBlobModel(model.floatBlob);
		const reference = await loadReference();
		const out: Float64Array[][] = [];
		// TensorFlow.js on the float model, a few windows at a time, then the page may draw.
		for (let i = from; i < to; i += 4) {
			signal.throwIfAborted();
			out.push(...reference.runFloatModel(floatModel, plan.examples.slice(i, Math.min(to, i + 4))));
			await yieldToPage();
		}
		return out;
	};
	const source: CompareSource = {
		model: { name: model.name, crc: blobCrc(model.blob), blob: model.blob, demo: qaMeta.id },
		io: { ...qaMeta.io, xLabel: 'question' },
		inputs: {
			source: what.source,
			count: plan.windows.length,
			min: 0,
			max: Math.max(0, questions.length - 1),
			description: `${what.description}: ${questions.length} question${questions.length === 1 ? '' : 's'}, ${plan.windows.length} window${plan.windows.length === 1 ? '' : 's'}`
		},
		examples: plan.examples,
		xs: plan.windows.map((w) => w.question),
		truths,
		floatReference: (signal) => floatRange(signal, 0, plan.examples.length),
		floatReferenceRange: floatRange
	};
	plans.set(source, plan);
	return { source, plan };
}
