// Which Transport a device choice opens. The only place the UI names concrete transports.
import { asset } from '$app/paths';
import type { Transport } from '$lib/transport';
import {
	DEFAULT_VIRTUAL_PROFILE,
	VIRTUAL_BOARD_WASM_URL,
	VirtualBoardTransport
} from '$lib/transport/virtual-board';
import { WebSerialTransport } from '$lib/transport/web-serial';

export type DeviceChoice = 'virtual' | 'usb';
/** 'known': the chooser lists known boards and USB–serial bridges; 'any': every serial port. */
export type UsbFilterMode = 'known' | 'any';

export interface DeviceOptions {
	choice: DeviceChoice;
	virtualProfile: string;
	usbFilter: UsbFilterMode;
	baudRate: number;
}

export function webSerialSupported(): boolean {
	return WebSerialTransport.isSupported();
}

/**
 * A transport for `opts`, not yet opened (Session.open opens it). For a USB board this opens the
 * browser's port chooser, so call it from a click; it rejects with AbortError when the person
 * closes the chooser without choosing.
 */
export async function chooseTransport(opts: DeviceOptions): Promise<Transport> {
	switch (opts.choice) {
		case 'virtual':
			return new VirtualBoardTransport({
				profile: opts.virtualProfile || DEFAULT_VIRTUAL_PROFILE,
				wasmUrl: asset(VIRTUAL_BOARD_WASM_URL)
			});
		case 'usb':
			return WebSerialTransport.requestPort(
				{ anyDevice: opts.usbFilter === 'any' },
				{ baudRate: opts.baudRate }
			);
	}
}
