// Training in the app: a recipe trained with TensorFlow.js (loaded on first use), live loss and
// validation loss per epoch, stop, then the float vs int8 report and saving to the model library.
import { writeBlob } from '$lib/model/format/blob-writer';
import {
	RECIPES,
	trainModel,
	type EpochReport,
	type RecipeId,
	type TrainedModel
} from '$lib/training';
import { isAbortError } from '$lib/protocol';
import type { LibraryEntry, ModelLibraryState } from './models.svelte';

export type TrainPhase =
	| { kind: 'idle' }
	| { kind: 'training' }
	| { kind: 'done'; elapsedMs: number }
	| { kind: 'stopped'; message: string }
	| { kind: 'failed'; message: string };

export class TrainState {
	recipe = $state<RecipeId>('sine');
	epochs = $state(RECIPES.find((r) => r.id === 'sine')?.defaultEpochs ?? 100);
	seed = $state(1);
	phase = $state.raw<TrainPhase>({ kind: 'idle' });
	history = $state.raw<EpochReport[]>([]);
	result = $state.raw<TrainedModel | null>(null);
	savedAs = $state<string | null>(null);
	saveProblem = $state<string | null>(null);
	training = $derived(this.phase.kind === 'training');
	#controller: AbortController | null = null;

	constructor(readonly library: ModelLibraryState) {}

	chooseRecipe(id: RecipeId): void {
		if (this.training) return;
		this.recipe = id;
		this.epochs = RECIPES.find((r) => r.id === id)?.defaultEpochs ?? this.epochs;
	}

	stop(): void {
		this.#controller?.abort();
	}

	async train(): Promise<void> {
		if (this.training) return;
		const controller = new AbortController();
		this.#controller = controller;
		this.history = [];
		this.result = null;
		this.savedAs = null;
		this.saveProblem = null;
		this.phase = { kind: 'training' };
		const started = performance.now();
		try {
			const result = await trainModel({
				recipe: this.recipe,
				epochs: this.epochs,
				seed: this.seed,
				signal: controller.signal,
				onEpoch: (e) => {
					this.history = [...this.history, e];
				}
			});
			this.result = result;
			this.phase = result.stopped
				? {
						kind: 'stopped',
						message:
							`Training was stopped after ${result.history.length} epochs. Kept epoch ` +
							`${result.keptEpoch}, the lowest validation loss so far: it can be saved.`
					}
				: { kind: 'done', elapsedMs: performance.now() - started };
		} catch (e) {
			if (isAbortError(e) || controller.signal.aborted) {
				this.phase = {
					kind: 'stopped',
					message: 'Training was stopped before its first epoch ended: there is no model to keep.'
				};
			} else {
				this.phase = {
					kind: 'failed',
					message: `Training failed: ${e instanceof Error ? e.message : String(e)}`
				};
			}
		} finally {
			if (this.#controller === controller) this.#controller = null;
		}
	}

	/** Saves the trained model to the library; returns its entry. */
	async save(): Promise<LibraryEntry | null> {
		const r = this.result;
		if (!r) return null;
		const xs = r.test.xs.map((row) => row[0] ?? 0);
		const single = r.test.xs.every((row) => row.length === 1) && xs.length > 1;
		const recipe = RECIPES.find((x) => x.id === r.recipe);
		try {
			const entry = await this.library.save({
				name: this.library.freeName(r.name),
				kind: 'trained',
				blob: r.blob,
				floatBlob: writeBlob(r.floatModel),
				metadata: {
					summary:
						`${recipe?.title ?? r.recipe}, trained here: ` +
						(r.stopped
							? `stopped after ${r.history.length} of ${r.epochs} epochs, kept epoch ${r.keptEpoch} (lowest validation loss), seed ${r.seed}.`
							: `${r.epochs} epochs, seed ${r.seed}.`) +
						(r.inputTransform
							? ' Inputs are standardized: (x − mean) / std per feature (stored with the model).'
							: ''),
					recipe: r.recipe,
					epochs: r.keptEpoch,
					seed: r.seed,
					floatMae: r.report.float.mae,
					floatMax: r.report.float.maxError,
					int8Mae: r.report.int8.mae,
					int8Max: r.report.int8.maxError,
					weightBytes: r.report.weightBytes,
					arenaBytes: r.report.arenaBytes,
					testCount: r.report.testCount,
					...(single && { inputMin: Math.min(...xs), inputMax: Math.max(...xs) }),
					...(r.inputTransform && { inputStandardization: JSON.stringify(r.inputTransform) }),
					// The test split (raw features and targets), so the model can be compared on it.
					testSet: JSON.stringify({
						features: recipe?.inputFeatures ?? r.test.xs[0]!.map((_, i) => `x${i + 1}`),
						output: recipe?.outputName ?? 'y',
						xs: r.test.xs,
						ys: r.test.ys
					})
				}
			});
			this.savedAs = entry.name;
			return entry;
		} catch (e) {
			this.saveProblem = `The model could not be saved: ${e instanceof Error ? e.message : String(e)}`;
			return null;
		}
	}
}
