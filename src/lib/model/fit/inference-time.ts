// Estimated time of one inference on a board profile (issue 10): the cost model's instructions or
// cycles (cost-model.ts, calibrated on the emulated Cortex-M4 and ATmega2560: cost-coefficients.ts)
// at the profile's clock. An estimate, never a measurement: the virtual and host boards run the
// firmware on this machine, so their own clocks say nothing of a microcontroller's; real boards
// report their measured ticks instead. docs/benchmarks.md ("cost") gives the model's measured error.
import { COST_COEFFICIENTS } from './cost-coefficients';
import { estimateCost, type CostModelInput, type CostTarget } from './cost-model';
import { BOARD_PROFILES, type ProfileId } from './board-profiles';

export interface ProfileCostBasis {
	/** The calibrated target whose model stands for this profile's chip. */
	target: CostTarget;
	/** Cycles per instruction (M4 model) or per cycle (AVR model) on this chip. */
	cyclesPerUnit: number;
	/** True when the chip is the calibrated one; else the figure is carried over from another core. */
	calibrated: boolean;
	/** How the figure is obtained, one sentence. */
	basis: string;
}

/**
 * How each profile's time is estimated. Only the Cortex-M4 (Nano 33 BLE) and the ATmega2560 (Mega
 * 2560) are the calibrated chips; the others borrow the Cortex-M4 model with a stated factor and are
 * labelled so.
 */
export const PROFILE_COST: Readonly<Record<ProfileId, ProfileCostBasis | null>> = {
	host: null,
	nano33ble: {
		target: 'cortex-m4',
		cyclesPerUnit: 1,
		calibrated: true,
		basis:
			'Cortex-M4 instructions (calibrated under QEMU) at one per cycle; flash wait states not counted'
	},
	rp2040: {
		target: 'cortex-m4',
		cyclesPerUnit: 1.5,
		calibrated: false,
		basis:
			'Cortex-M4 instructions × 1.5 for the Cortex-M0+ (Thumb-1, no long multiply); not measured on an M0+'
	},
	samd21: {
		target: 'cortex-m4',
		cyclesPerUnit: 1.5,
		calibrated: false,
		basis:
			'Cortex-M4 instructions × 1.5 for the Cortex-M0+ (Thumb-1, no long multiply); not measured on an M0+'
	},
	esp32: {
		target: 'cortex-m4',
		cyclesPerUnit: 1,
		calibrated: false,
		basis: 'Cortex-M4 instructions at one cycle each on the Xtensa LX6; not measured on an ESP32'
	},
	esp32s3: {
		target: 'cortex-m4',
		cyclesPerUnit: 1,
		calibrated: false,
		basis: 'Cortex-M4 instructions at one cycle each on the Xtensa LX7; not measured on an ESP32-S3'
	},
	mega2560: {
		target: 'avr',
		cyclesPerUnit: 1,
		calibrated: true,
		basis: 'ATmega2560 cycles (calibrated under simavr)'
	}
};

export interface InferenceTimeEstimate {
	profile: ProfileId;
	seconds: number;
	cycles: number;
	cpuHz: number;
	calibrated: boolean;
	/** Ops whose class the calibration never measured (their cost is the target's fallback). */
	uncalibratedOps: number;
	basis: string;
	/** The model's measured error on held-out workloads of the calibrated target. */
	error: { median: number; max: number; heldOut: number } | null;
}

/**
 * Estimated seconds per inference of `model` on profile `profileId` — with how it was obtained —
 * or null when the profile has no clock (the host / virtual profile).
 */
export function estimateInferenceTime(
	model: CostModelInput,
	profileId: string
): InferenceTimeEstimate | null {
	const profile = BOARD_PROFILES.find((p) => p.id === profileId);
	const how = profile ? PROFILE_COST[profile.id] : null;
	if (!profile || !how || profile.cpuHz <= 0) return null;
	const est = estimateCost(model, COST_COEFFICIENTS[how.target]);
	const cycles = est.total * how.cyclesPerUnit;
	return {
		profile: profile.id,
		seconds: cycles / profile.cpuHz,
		cycles,
		cpuHz: profile.cpuHz,
		calibrated: how.calibrated,
		uncalibratedOps: est.ops.filter((o) => !o.calibrated).length,
		basis: how.basis,
		error: COST_COEFFICIENTS[how.target].error ?? null
	};
}

/** "1.23 ms", "456 µs", "2.1 s" — three significant digits. */
export function formatDuration(s: number): string {
	if (!Number.isFinite(s)) return '—';
	const [v, unit] = s >= 1 ? [s, 's'] : s >= 1e-3 ? [s * 1e3, 'ms'] : [s * 1e6, 'µs'];
	return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}
