// The tiny page of web-serial-transport.test.ts, bundled by esbuild onto window.tt: the real
// WebSerialTransport and Session, as the app uses them, plus small steps the test drives with
// page.evaluate(). Everything returns plain data (errors as { name, message, severity }).
import { isAbortError, Session, TransportError } from '../../../src/lib/protocol';
import type { HelloInfo } from '../../../src/lib/protocol';
import type { CloseReason } from '../../../src/lib/protocol/link';
import type { UsbIds } from '../../../src/lib/transport/usb-boards';
import { WebSerialTransport } from '../../../src/lib/transport/web-serial';
import type { SerialPortFilter, WebSerialOptions } from '../../../src/lib/transport/web-serial';

export { WebSerialTransport };

export interface ErrorInfo {
	name: string;
	message: string;
	severity?: string;
	abort: boolean;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

function info(e: unknown): ErrorInfo {
	const err = e instanceof Error ? e : new Error(String(e));
	return {
		name: err.name,
		message: err.message,
		severity: e instanceof TransportError ? e.severity : undefined,
		abort: isAbortError(e)
	};
}

async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
	try {
		return { ok: true, value: await fn() };
	} catch (e) {
		return { ok: false, error: info(e) };
	}
}

export const state = {
	transport: null as WebSerialTransport | null,
	session: null as Session | null,
	closes: [] as { kind: CloseReason['kind']; message?: string; at: number }[],
	done: 0,
	sweep: null as Promise<Outcome<number[]>> | null,
	sweepEndedAt: 0,
	portEvents: [] as string[]
};

export interface ConnectOptions extends WebSerialOptions {
	/** Use the chooser with these filters (or anyDevice); else reconnect with fromGrantedPorts(saved). */
	filters?: SerialPortFilter[];
	anyDevice?: boolean;
	saved?: UsbIds;
	chooser?: boolean;
	timeoutMs?: number;
}

export interface Connected {
	name: string;
	label: string;
	portInfo: UsbIds;
	hello: Pick<HelloInfo, 'board' | 'maxPayload' | 'window'>;
	model: { blobCrc: number; slot: number } | null;
}

/** Chooses (or finds a granted) port, opens a Session on it, shakes hands. */
export function connect(o: ConnectOptions = {}): Promise<Outcome<Connected>> {
	return attempt(async () => {
		const transport = o.chooser
			? await WebSerialTransport.requestPort({ filters: o.filters, anyDevice: o.anyDevice }, o)
			: await WebSerialTransport.fromGrantedPorts(o.saved, o);
		if (!transport) throw new Error('No granted port matched.');
		state.transport = transport;
		state.closes = [];
		transport.onClose((r) =>
			state.closes.push({
				kind: r.kind,
				message: r.kind === 'device-lost' ? r.message : undefined,
				at: performance.now()
			})
		);
		let session: Session;
		try {
			session = await Session.open(transport, { timeoutMs: o.timeoutMs ?? 3000 });
		} catch (e) {
			await transport.close(); // Session.open leaves the transport to its caller
			throw e;
		}
		state.session = session;
		const h = session.hello;
		return {
			name: transport.name,
			label: transport.info.label,
			portInfo: transport.portInfo,
			hello: { board: h.board, maxPayload: h.maxPayload, window: h.window },
			model: session.model ? { blobCrc: session.model.blobCrc, slot: session.model.slot } : null
		};
	});
}

function session(): Session {
	if (!state.session) throw new Error('Not connected.');
	return state.session;
}

export function upload(blob: Uint8Array, slot: 0 | 1): Promise<Outcome<{ blobCrc: number }>> {
	return attempt(async () => {
		const r = await session().upload(blob, { slot });
		return { blobCrc: r.blobCrc };
	});
}

/** int8 inputs, one byte each; resolves to the int8 outputs. */
export function infer(qs: number[]): Promise<Outcome<number[]>> {
	return attempt(async () => {
		const r = await session().infer(Uint8Array.from(Int8Array.from(qs)), {
			count: qs.length,
			inputBytes: 1,
			outputBytes: 1,
			onBatch: (p) => (state.done = p.done)
		});
		return Array.from(new Int8Array(r.outputs.buffer, r.outputs.byteOffset, r.outputs.length));
	});
}

/** Starts a sweep without waiting (unplug it halfway); see sweepOutcome(). */
export function startSweep(qs: number[]): void {
	state.done = 0;
	state.sweep = infer(qs).then((o) => {
		state.sweepEndedAt = performance.now();
		return o;
	});
}

export async function sweepOutcome(): Promise<{
	outcome: Outcome<number[]>;
	closes: typeof state.closes;
	/** ms from the transport's device-lost report to the sweep's rejection. */
	rejectAfterCloseMs: number | null;
}> {
	const outcome = await (state.sweep ?? Promise.reject(new Error('No sweep started.')));
	const lost = state.closes.find((c) => c.kind === 'device-lost');
	return {
		outcome,
		closes: state.closes,
		rejectAfterCloseMs: lost ? state.sweepEndedAt - lost.at : null
	};
}

export function disconnect(): Promise<Outcome<void>> {
	return attempt(async () => {
		await state.session?.close();
		await state.transport?.close();
		state.session = null;
	});
}

/** Records WebSerialTransport.watchPorts() events into state.portEvents. */
export function watch(): void {
	WebSerialTransport.watchPorts((e) => state.portEvents.push(`${e.type} ${e.name}`));
}

export function stats() {
	const t = state.transport;
	return t ? { ...t.stats, isOpen: t.isOpen, closes: state.closes } : null;
}
