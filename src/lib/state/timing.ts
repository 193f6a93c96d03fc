// Which time the app may show for a board (issue 10). A real board measures its own inferences and
// reports the ticks: that time is shown. The virtual board (the firmware in this browser) and the
// host board (the firmware as a process on this machine) would only measure this computer, so they
// show the estimated time on the board profile they impersonate instead, labelled an estimate —
// and no clock of their own.
import { PROFILE_IDS } from '$lib/model/fit/board-profiles';
import type { CostModelInput } from '$lib/model/fit/cost-model';
import {
	estimateInferenceTime,
	formatDuration,
	type InferenceTimeEstimate
} from '$lib/model/fit/inference-time';
import type { HelloInfo } from '$lib/protocol';
import type { TransportKind } from '$lib/protocol/link';

/** The host board's tick: nanoseconds of this machine's clock (firmware/targets/host/main.cpp). */
const HOST_BOARD_TICK_HZ = 1_000_000_000;

export type BoardTiming =
	| { kind: 'measured' }
	| {
			kind: 'estimate';
			/** The profile the emulated board stands for. */
			profile: string;
			/** Null when that profile has no clock ('host') or there is no model. */
			estimate: InferenceTimeEstimate | null;
	  };

/**
 * The profile an emulated board impersonates — the virtual board's "virtual (<profile>)", or the
 * host board's profile name with its nanosecond tick — or null for a board that measures itself.
 */
export function emulatedProfile(
	hello: Pick<HelloInfo, 'board' | 'tickHz'>,
	transportKind: TransportKind | null
): string | null {
	if (transportKind === 'virtual') return /^virtual \((.+)\)$/.exec(hello.board)?.[1] ?? 'host';
	if (
		hello.tickHz === HOST_BOARD_TICK_HZ &&
		(PROFILE_IDS as readonly string[]).includes(hello.board)
	)
		return hello.board;
	return null;
}

/** Whether the board's own clock and time may be shown (it is not the virtual or host board). */
export function reportsOwnTime(
	hello: Pick<HelloInfo, 'board' | 'tickHz'>,
	transportKind: TransportKind | null
): boolean {
	return emulatedProfile(hello, transportKind) === null;
}

/** What the timing tile shows for `model` on the connected board. */
export function boardTiming(
	hello: Pick<HelloInfo, 'board' | 'tickHz'> | null,
	transportKind: TransportKind | null,
	model: CostModelInput | null
): BoardTiming {
	const profile = hello ? emulatedProfile(hello, transportKind) : null;
	if (profile === null) return { kind: 'measured' };
	return {
		kind: 'estimate',
		profile,
		estimate: model ? estimateInferenceTime(model, profile) : null
	};
}

/** The tile's text for an estimate: "~12.3 µs", or "—" without one. */
export function estimateText(t: Extract<BoardTiming, { kind: 'estimate' }>): string {
	return t.estimate ? `~${formatDuration(t.estimate.seconds)}` : '—';
}

/** The sentence under it: where the figure comes from, or why there is none. */
export function estimateHint(t: Extract<BoardTiming, { kind: 'estimate' }>): string {
	if (!t.estimate)
		return `not measured: an emulated board; the ${t.profile} profile has no clock to estimate on — choose another profile`;
	const e = t.estimate;
	return `estimate on ${t.profile} at ${e.cpuHz / 1e6} MHz, not measured (per-op cost model${e.calibrated ? '' : ', not calibrated for this chip'})`;
}
