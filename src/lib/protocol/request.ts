// One logical request with retries. Only for idempotent requests (HELLO, STATUS, BEGIN with the same
// arguments, COMMIT, ABORT, INFER): every attempt gets a fresh id, and the first answer to ANY attempt
// wins, so a slow answer to attempt 1 still counts after attempt 2 was sent.
import type { Channel } from './channel';
import { abortErrorFrom, DeviceError, ProtocolError, TimeoutError } from './errors';
import type { DeviceErrorContext } from './device-errors';
import type { Answer, AnswerType, Request } from './messages';

export interface RetryOptions {
	attempts: number;
	/** Timeout of attempt n (0-based), ms. */
	timeoutMs: (attempt: number) => number;
	signal?: AbortSignal;
	/** Names the request in a TimeoutError, e.g. "the handshake (HELLO)". */
	operation: string;
}

/** Resolves with the board's answer, ERROR included; rejects on timeout, abort or device loss. */
export function requestWithRetry(ch: Channel, req: Request, opts: RetryOptions): Promise<Answer> {
	return new Promise<Answer>((resolve, reject) => {
		const ids: number[] = [];
		let attempt = 0;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let done = false;
		const { signal } = opts;

		const finish = (settle: () => void) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			for (const id of ids) ch.cancel(id);
			signal?.removeEventListener('abort', onAbort);
			settle();
		};
		const onAbort = () => finish(() => reject(abortErrorFrom(signal!)));
		const fire = () => {
			if (done) return;
			if (attempt >= opts.attempts) {
				return finish(() => reject(new TimeoutError(opts.operation)));
			}
			const n = attempt++;
			try {
				const id: number = ch.send(req, (o) => {
					switch (o.kind) {
						case 'answer':
							return finish(() => resolve(o.answer));
						case 'invalid':
						case 'closed':
							return finish(() => reject(o.error));
						case 'lost':
							// Only the newest attempt matters; an older one being lost changes nothing.
							if (id === ids[ids.length - 1]) fire();
					}
				});
				ids.push(id);
			} catch (e) {
				return finish(() => reject(e));
			}
			clearTimeout(timer);
			timer = setTimeout(fire, opts.timeoutMs(n));
		};

		if (signal?.aborted) return onAbort();
		signal?.addEventListener('abort', onAbort, { once: true });
		fire();
	});
}

/** Narrows an answer to the expected type; ERROR becomes DeviceError, anything else ProtocolError. */
export function expectAnswer<T extends AnswerType>(
	answer: Answer,
	type: T,
	context: DeviceErrorContext = {}
): Extract<Answer, { type: T }> {
	if (answer.type === type) return answer as Extract<Answer, { type: T }>;
	if (answer.type === 'ERROR') {
		throw new DeviceError(answer.code, answer.detail, answer.text, context);
	}
	throw new ProtocolError(
		'unexpected-answer',
		`The board answered ${answer.type} where ${type} was expected.`
	);
}
