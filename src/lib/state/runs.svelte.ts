// The saved runs: list, open one, compare two, delete, export as CSV or JSON.
import {
	compareRuns,
	newerFirst,
	runToCsv,
	runToJson,
	type CompareRunsResult,
	type RunRecord,
	type StoredRun
} from '$lib/storage';
import { appStorage, downloadText } from './app-storage';

/** Two runs, the newer first (a): the title, the difference a − b and the figures follow it. */
export interface OpenedComparison {
	a: StoredRun;
	b: StoredRun;
	/** The comparison, or why the two runs are not compared. */
	result: CompareRunsResult;
}

function message(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** "tinytwin-run-3-sine-2026-11-21": a file name that sorts and says what it holds. */
export function exportName(run: RunRecord, ext: 'csv' | 'json'): string {
	const day = run.started.toISOString().slice(0, 10);
	const what = (run.demo ?? run.model.name).replace(/[^a-z0-9-]+/gi, '-');
	return `tinytwin-run-${run.id}-${what}-${day}.${ext}`;
}

export class RunsState {
	runs = $state.raw<RunRecord[]>([]);
	loading = $state(true);
	problem = $state<string | null>(null);
	opened = $state.raw<StoredRun | null>(null);
	/** Up to two run ids ticked for comparison, in ticking order. */
	selected = $state<number[]>([]);
	comparison = $state.raw<OpenedComparison | null>(null);

	async load(): Promise<void> {
		this.loading = true;
		try {
			const storage = await appStorage();
			this.runs = await storage.listRuns();
			this.problem = null;
		} catch (e) {
			this.problem = message(e);
		} finally {
			this.loading = false;
		}
	}

	async #get(id: number): Promise<StoredRun> {
		const run = await (await appStorage()).getRun(id);
		if (!run)
			throw new Error(`Run ${id} no longer exists; it may have been deleted in another tab.`);
		return run;
	}

	async open(id: number): Promise<void> {
		try {
			this.opened = await this.#get(id);
			this.comparison = null;
			this.problem = null;
		} catch (e) {
			this.problem = message(e);
		}
	}

	close(): void {
		this.opened = null;
		this.comparison = null;
	}

	toggle(id: number): void {
		this.selected = this.selected.includes(id)
			? this.selected.filter((s) => s !== id)
			: [...this.selected, id].slice(-2);
	}

	async compare(): Promise<void> {
		const [idA, idB] = this.selected;
		if (idA === undefined || idB === undefined) return;
		try {
			const [a, b] = newerFirst(...(await Promise.all([this.#get(idA), this.#get(idB)])));
			this.comparison = { a, b, result: compareRuns(a, b, 'device') };
			this.opened = null;
			this.problem = null;
		} catch (e) {
			this.problem = message(e);
		}
	}

	async remove(id: number): Promise<void> {
		try {
			await (await appStorage()).deleteRun(id);
			this.selected = this.selected.filter((s) => s !== id);
			if (this.opened?.run.id === id) this.opened = null;
			if (this.comparison && [this.comparison.a.run.id, this.comparison.b.run.id].includes(id)) {
				this.comparison = null;
			}
			await this.load();
		} catch (e) {
			this.problem = message(e);
		}
	}

	async export(id: number, format: 'csv' | 'json'): Promise<void> {
		try {
			const { run, points } = await this.#get(id);
			if (format === 'csv') {
				downloadText(runToCsv(run, points), exportName(run, 'csv'), 'text/csv');
			} else {
				downloadText(runToJson(run, points), exportName(run, 'json'), 'application/json');
			}
		} catch (e) {
			this.problem = message(e);
		}
	}
}
