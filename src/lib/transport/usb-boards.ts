// USB vendor/product ids of the boards and USB-serial bridges TinyTwin users plug in, to name a port
// from SerialPort.getInfo() and to build requestPort() filters. Pure data: no DOM, no Node.
//
// Sources: arduino/ArduinoCore-mbed boards.txt (Nano 33 BLE 0x2341:0x005a/805a/015a/025a,
// Nano RP2040 Connect 0x2341:…5e, Portenta H7 0x2341:…5b); earlephilhower/arduino-pico
// tools/makeboards.py (Pico 0x2e8a:0x000a, Pico W 0x2e8a:0xf00a, SparkFun Thing Plus / Pro Micro
// RP2040 0x1b4f:0x0026, Adafruit RP2040 boards 0x239a:…); arduino/ArduinoCore-avr and -samd
// boards.txt (Uno, Mega 2560, Leonardo, MKR Zero, Nano 33 IoT); the bridge makers' published ids
// (Silicon Labs CP210x 0x10c4:0xea60, WCH CH340 0x1a86:0x7523 and CH9102/CH343 0x1a86:0x55d4/55d3,
// FTDI 0x0403:0x6001/6010/6014/6015, Espressif native USB 0x303a:0x1001 / 0x0002).
// An Arduino pid with bit 15 set (0x8xxx) is the sketch running; 0x0xxx is the bootloader.

export interface UsbIds {
	usbVendorId?: number;
	usbProductId?: number;
}

export type UsbDeviceKind =
	/** The microcontroller's own USB (native CDC): the board itself. */
	| 'board'
	/** The board's bootloader (double-tapped reset, 1200-baud touch): not running the sketch. */
	| 'bootloader'
	/** A USB-to-UART bridge chip on the board (ESP32 dev kits, Uno clones). */
	| 'bridge';

export interface KnownUsbDevice {
	vendorId: number;
	productId: number;
	name: string;
	kind: UsbDeviceKind;
	/** TinyTwin firmware profile for this board (firmware/targets/host --profile), if there is one. */
	profile?: string;
}

/** Vendors whose ports the Connect chooser shows by default. */
export const USB_VENDORS: Readonly<Record<number, string>> = {
	0x2341: 'Arduino',
	0x2a03: 'Arduino (arduino.org)',
	0x2e8a: 'Raspberry Pi',
	0x1b4f: 'SparkFun',
	0x239a: 'Adafruit',
	0x303a: 'Espressif',
	0x10c4: 'Silicon Labs',
	0x1a86: 'WCH',
	0x0403: 'FTDI'
};

const d = (
	vendorId: number,
	productId: number,
	name: string,
	kind: UsbDeviceKind = 'board',
	profile?: string
): KnownUsbDevice => ({ vendorId, productId, name, kind, profile });

export const KNOWN_USB_DEVICES: readonly KnownUsbDevice[] = [
	// Arduino mbed core (ArduinoCore-mbed). The Nano 33 BLE Sense enumerates with the same ids.
	d(0x2341, 0x805a, 'Arduino Nano 33 BLE / BLE Sense', 'board', 'nano33ble'),
	d(0x2341, 0x015a, 'Arduino Nano 33 BLE / BLE Sense', 'board', 'nano33ble'),
	d(0x2341, 0x025a, 'Arduino Nano 33 BLE / BLE Sense', 'board', 'nano33ble'),
	d(0x2341, 0x005a, 'Arduino Nano 33 BLE / BLE Sense', 'bootloader', 'nano33ble'),
	d(0x2341, 0x805e, 'Arduino Nano RP2040 Connect', 'board', 'rp2040'),
	d(0x2341, 0x015e, 'Arduino Nano RP2040 Connect', 'board', 'rp2040'),
	d(0x2341, 0x025e, 'Arduino Nano RP2040 Connect', 'board', 'rp2040'),
	d(0x2341, 0x005e, 'Arduino Nano RP2040 Connect', 'bootloader', 'rp2040'),
	d(0x2341, 0x025b, 'Arduino Portenta H7'),
	d(0x2341, 0x035b, 'Arduino Portenta H7', 'bootloader'),
	// Arduino SAMD core.
	d(0x2341, 0x804f, 'Arduino MKR Zero', 'board', 'samd21'),
	d(0x2341, 0x004f, 'Arduino MKR Zero', 'bootloader', 'samd21'),
	d(0x2341, 0x8057, 'Arduino Nano 33 IoT', 'board', 'samd21'),
	d(0x2341, 0x0057, 'Arduino Nano 33 IoT', 'bootloader', 'samd21'),
	d(0x2341, 0x804d, 'Arduino Zero (native USB)', 'board', 'samd21'),
	// Arduino AVR core: the Uno and Mega talk through an ATmega16U2 bridge.
	d(0x2341, 0x0043, 'Arduino Uno', 'bridge'),
	d(0x2341, 0x0001, 'Arduino Uno', 'bridge'),
	d(0x2341, 0x0042, 'Arduino Mega 2560', 'bridge', 'mega2560'),
	d(0x2341, 0x0010, 'Arduino Mega 2560', 'bridge', 'mega2560'),
	d(0x2341, 0x8036, 'Arduino Leonardo'),
	d(0x2341, 0x0070, 'Arduino Nano ESP32', 'board', 'esp32'),
	// Raspberry Pi RP2040 (Pico SDK stdio and the arduino-pico core use 0x000a).
	d(0x2e8a, 0x000a, 'Raspberry Pi Pico (RP2040)', 'board', 'rp2040'),
	d(0x2e8a, 0xf00a, 'Raspberry Pi Pico W (RP2040)', 'board', 'rp2040'),
	d(0x2e8a, 0x0005, 'Raspberry Pi Pico (MicroPython)', 'board', 'rp2040'),
	d(0x2e8a, 0x0003, 'Raspberry Pi RP2040 boot ROM (BOOTSEL)', 'bootloader', 'rp2040'),
	d(0x1b4f, 0x0026, 'SparkFun RP2040 Thing Plus / Pro Micro', 'board', 'rp2040'),
	d(0x239a, 0x80f1, 'Adafruit Feather RP2040', 'board', 'rp2040'),
	d(0x239a, 0x80f7, 'Adafruit QT Py RP2040', 'board', 'rp2040'),
	d(0x239a, 0x80fd, 'Adafruit ItsyBitsy RP2040', 'board', 'rp2040'),
	// Espressif chips with native USB (ESP32-S3/C3/C6 USB-Serial/JTAG; ESP32-S2 TinyUSB CDC).
	d(0x303a, 0x1001, 'ESP32-S3 / C3 (native USB-Serial/JTAG)', 'board', 'esp32s3'),
	d(0x303a, 0x0002, 'ESP32-S2 (native USB)', 'board', 'esp32'),
	// USB-to-UART bridges found on ESP32 dev kits and Arduino clones.
	d(0x10c4, 0xea60, 'CP210x USB-serial bridge (e.g. an ESP32 DevKit)', 'bridge', 'esp32'),
	d(0x1a86, 0x7523, 'CH340 USB-serial bridge', 'bridge'),
	d(0x1a86, 0x55d4, 'CH9102 USB-serial bridge (e.g. an ESP32 DevKit)', 'bridge', 'esp32'),
	d(0x1a86, 0x55d3, 'CH343 USB-serial bridge', 'bridge'),
	d(0x0403, 0x6001, 'FTDI FT232R USB-serial bridge', 'bridge'),
	d(0x0403, 0x6010, 'FTDI FT2232 USB-serial bridge', 'bridge'),
	d(0x0403, 0x6014, 'FTDI FT232H USB-serial bridge', 'bridge'),
	d(0x0403, 0x6015, 'FTDI FT-X USB-serial bridge', 'bridge')
];

/** "2341:805A": the id pair as lsusb and the Arduino IDE print it. */
export function formatUsbId(vendorId: number, productId?: number): string {
	const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
	return productId === undefined ? hex(vendorId) : `${hex(vendorId)}:${hex(productId)}`;
}

/** The known device with these ids, if any. */
export function findUsbDevice(ids: UsbIds): KnownUsbDevice | undefined {
	const { usbVendorId: v, usbProductId: p } = ids;
	if (v === undefined || p === undefined) return undefined;
	return KNOWN_USB_DEVICES.find((k) => k.vendorId === v && k.productId === p);
}

/**
 * A short name for the port, fit for "the … was unplugged": "Arduino Nano 33 BLE / BLE Sense
 * (2341:805A)", "Arduino USB device (2341:1234)", "USB serial device (1234:ABCD)", or "serial port"
 * (a built-in UART or Bluetooth port, which have no USB ids).
 */
export function portName(ids: UsbIds): string {
	const { usbVendorId: v, usbProductId: p } = ids;
	if (v === undefined) return 'serial port';
	const id = formatUsbId(v, p);
	const known = findUsbDevice(ids);
	if (known)
		return `${known.name}${known.kind === 'bootloader' ? ' in its bootloader' : ''} (${id})`;
	const vendor = USB_VENDORS[v];
	return vendor ? `${vendor} USB device (${id})` : `USB serial device (${id})`;
}

/** One vendor filter per known vendor: the chooser lists boards and bridges, not every modem. */
export function knownVendorFilters(): { usbVendorId: number }[] {
	return Object.keys(USB_VENDORS).map((v) => ({ usbVendorId: Number(v) }));
}

/** True when `port` has the saved ids (both present and equal; a port without ids never matches). */
export function sameUsbIds(port: UsbIds, saved: UsbIds): boolean {
	return (
		saved.usbVendorId !== undefined &&
		port.usbVendorId === saved.usbVendorId &&
		port.usbProductId === saved.usbProductId
	);
}
