// Which time the app shows (issue 10): a real board's own ticks; for the virtual and host boards,
// which would only time this computer, the estimate on the profile they impersonate.
import { describe, expect, it } from 'vitest';
import { sineModel } from '../../../src/lib/demos/sine/sine';
import { estimateInferenceTime } from '../../../src/lib/model/fit/inference-time';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import {
	boardTiming,
	emulatedProfile,
	estimateHint,
	estimateText,
	reportsOwnTime
} from '../../../src/lib/state/timing';

const sine = readBlob(sineModel().blob);

describe('board timing', () => {
	it('the virtual board stands for its profile; its time is an estimate there', () => {
		const hello = { board: 'virtual (mega2560)', tickHz: 1_000_000 };
		expect(emulatedProfile(hello, 'virtual')).toBe('mega2560');
		expect(reportsOwnTime(hello, 'virtual')).toBe(false);
		const t = boardTiming(hello, 'virtual', sine);
		expect(t).toEqual({
			kind: 'estimate',
			profile: 'mega2560',
			estimate: estimateInferenceTime(sine, 'mega2560')
		});
		if (t.kind !== 'estimate') throw new Error('unreachable');
		expect(estimateText(t)).toMatch(/^~[\d.]+ (µs|ms)$/);
		expect(estimateHint(t)).toBe(
			'estimate on mega2560 at 16 MHz, not measured (per-op cost model)'
		);
	});

	it('the host board is known by its nanosecond tick and its profile name', () => {
		expect(emulatedProfile({ board: 'nano33ble', tickHz: 1e9 }, 'child-process')).toBe('nano33ble');
		// The same name with a microsecond tick is a real Nano 33 BLE running the sketch.
		expect(emulatedProfile({ board: 'nano33ble', tickHz: 1e6 }, 'web-serial')).toBeNull();
		expect(boardTiming({ board: 'qemu-m4', tickHz: 25e6 }, 'web-serial', sine)).toEqual({
			kind: 'measured'
		});
	});

	it('the host profile has no clock: no estimate, and the hint says why', () => {
		const t = boardTiming({ board: 'virtual (host)', tickHz: 1e6 }, 'virtual', sine);
		expect(t).toEqual({ kind: 'estimate', profile: 'host', estimate: null });
		if (t.kind !== 'estimate') throw new Error('unreachable');
		expect(estimateText(t)).toBe('—');
		expect(estimateHint(t)).toMatch(/no clock/);
		// An uncalibrated chip says so.
		const pico = boardTiming({ board: 'virtual (rp2040)', tickHz: 1e6 }, 'virtual', sine);
		if (pico.kind !== 'estimate') throw new Error('unreachable');
		expect(estimateHint(pico)).toMatch(/not calibrated for this chip/);
	});
});
