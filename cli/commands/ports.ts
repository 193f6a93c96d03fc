// tinytwin ports: serial ports a board could be on.
import { listSerialPorts } from '../../src/lib/transport/node/node-serial';
import type { Output } from '../output';
import { parse } from '../options';

export async function portsCommand(args: string[], out: Output): Promise<void> {
	parse(args);
	const ports = await listSerialPorts();
	out.result({ ports }, () =>
		ports.length === 0
			? [
					'No serial ports found. Plug in a board (with a data-capable USB cable), or use --board host.'
				]
			: ports.map((p) =>
					[p.path, p.manufacturer, p.vendorId && `${p.vendorId}:${p.productId}`]
						.filter(Boolean)
						.join('  ')
				)
	);
}
