// CRC-32 (IEEE 802.3, as zlib/PNG): reflected polynomial 0xEDB88320, init 0xFFFFFFFF, final XOR
// 0xFFFFFFFF. CRC-32("123456789") = 0xCBF43926. Result is an unsigned 32-bit number.

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
	if (table) return table;
	table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
}

/** Continues a running CRC: pass the previous result as `crc` to checksum data in pieces. */
export function crc32(data: Uint8Array, crc = 0): number {
	const t = crcTable();
	let c = (crc ^ 0xffffffff) >>> 0;
	for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
