// tinytwin info: the board's handshake — who it is, its memory, its ops, what it runs.
import { connect, deviceChoice } from '../device';
import { parse } from '../options';
import type { Output } from '../output';
import { describeHello } from '../describe-board';

export async function infoCommand(args: string[], out: Output, signal: AbortSignal): Promise<void> {
	const p = parse(args);
	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const status = await dev.session.status();
		out.result({ device: dev.transport.info.label, hello: dev.session.hello, status }, () => [
			`device:       ${dev.transport.info.label}`,
			...describeHello(dev.session.hello),
			`uptime:       ${(status.uptimeMs / 1000).toFixed(1)} s; ${status.framesOk} frames ok, ${status.badFrames} bad, ${status.inferences} inferences`
		]);
	} finally {
		await dev.close();
	}
}
