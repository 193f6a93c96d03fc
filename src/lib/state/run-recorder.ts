// Saves a compare run as it streams: creates the run record, then appends batches of points and
// finishes it. Writes are chained so they land in order without holding up the board, and a Web Lock
// held until the run is finished tells another tab's recovery that the run is still alive. A storage
// failure is reported through `onProblem`, never fatal to the run itself.
import type { Session } from '$lib/protocol';
import type { NewRun, RunPoint } from '$lib/storage';
import { appStorage, holdRunLock } from './app-storage';

export type RunEnd = 'complete' | 'failed' | 'interrupted';

export interface RunRecorder {
	/** Null when the run could not be created (then append/finish do nothing). */
	runId: number | null;
	append(points: RunPoint[]): void;
	/** Resolves once every write of the run has landed (or been reported through onProblem). */
	finish(status: RunEnd, error: string | null): Promise<void>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function startRunRecorder(
	what: Pick<NewRun, 'demo' | 'model' | 'inputs' | 'io'>,
	session: Session,
	onProblem: (sentence: string) => void
): Promise<RunRecorder> {
	let storage;
	let runId: number;
	try {
		storage = await appStorage();
		const h = session.hello;
		const run = await storage.createRun({
			...what,
			board: {
				name: h.board,
				firmware: `${h.firmware.major}.${h.firmware.minor}.${h.firmware.patch}`,
				transport: session.transport.info.kind
			},
			tickHz: h.tickHz
		});
		runId = run.id;
	} catch (e) {
		onProblem(message(e));
		return { runId: null, append: () => undefined, finish: async () => undefined };
	}
	const db = storage;
	let chain: Promise<unknown> = Promise.resolve();
	let release: () => void = () => undefined;
	holdRunLock(runId, new Promise<void>((resolve) => (release = resolve)));
	const report = (e: unknown) => onProblem(message(e));
	return {
		runId,
		append: (points) => {
			chain = chain.then(() => db.appendPoints(runId, points)).catch(report);
		},
		finish: (status, error) => {
			chain = chain
				.then(() => db.finishRun(runId, status, error))
				.catch(report)
				.finally(release);
			return chain.then(() => undefined);
		}
	};
}
