// tinytwin check <model> --board-profile NAME: does a model fit a known board, and if not, why and by
// how much — without a board attached. Exit 0 fits, 1 does not fit (or a bad file), 2 bad usage.
import { findProfile, profileIds, type BoardProfile } from '../../src/lib/model/fit/board-profiles';
import { checkFit, targetFromProfile, type FitSlot } from '../../src/lib/model/fit/fit-check';
import { estimateInferenceTime, formatDuration } from '../../src/lib/model/fit/inference-time';
import { UsageError } from '../errors';
import { parse, stringOption } from '../options';
import type { Output } from '../output';
import { formatBytes } from '../output';
import { loadModelInput } from '../model-file';

/** The profile for --board-profile (or --profile), or a usage error listing the known ones. */
export function profileOption(value: string | undefined): BoardProfile {
	if (value === undefined)
		throw new UsageError(`Which board? Give --board-profile NAME, one of: ${profileIds()}.`);
	const p = findProfile(value);
	if (p === null)
		throw new UsageError(`Unknown board profile "${value}". Known profiles: ${profileIds()}.`);
	return p;
}

function slotOf(value: string | undefined): FitSlot {
	if (value === undefined || value === 'ram') return 'ram';
	if (value === 'flash') return 'flash';
	throw new UsageError(`--slot must be "ram" or "flash", not "${value}".`);
}

export async function checkCommand(args: string[], out: Output): Promise<boolean> {
	const p = parse(args, { 'board-profile': { type: 'string' }, slot: { type: 'string' } });
	const path = p.positionals[0];
	if (path === undefined)
		throw new UsageError(
			'Which model? Usage: tinytwin check <model.ttm|model.tflite> --board-profile NAME [--slot ram|flash] [--json].'
		);
	if (p.positionals.length > 1)
		throw new UsageError(`One model at a time; unexpected "${p.positionals[1]}".`);
	const profile = profileOption(stringOption(p, 'board-profile') ?? stringOption(p, 'profile'));
	const slot = slotOf(stringOption(p, 'slot'));
	const input = await loadModelInput(path);
	const report = checkFit(
		input.model,
		targetFromProfile(profile),
		slot,
		input.tensorNames ? { tensorNames: input.tensorNames } : {}
	);
	const time = estimateInferenceTime(input.model, profile.id);
	const estimate = time && {
		seconds: time.seconds,
		cycles: Math.round(time.cycles),
		cpuHz: time.cpuHz,
		calibrated: time.calibrated,
		basis: time.basis
	};
	out.result({ file: path, format: input.format, profile: profile.id, ...report, estimate }, () => {
		const lines = [
			`${report.fits ? 'FITS' : 'DOES NOT FIT'}: "${report.model}" on ${profile.name} (profile ${profile.id}, ${slot === 'ram' ? 'RAM' : 'flash'} slot)`,
			`  model:  ${formatBytes(report.modelBytes)} blob (${formatBytes(report.weightBytes)} weights), arena ${formatBytes(report.arenaBytes)}`,
			`  RAM:    needs ${formatBytes(report.ram.needed)} of ${formatBytes(report.ram.available)} the firmware leaves (chip ${formatBytes(profile.ramBytes)})`,
			report.flash
				? `  flash:  needs ${formatBytes(report.flash.needed)} of ${formatBytes(report.flash.available)} slot (chip ${formatBytes(profile.flashBytes)})`
				: `  flash:  ${profile.flashSlotBytes > 0 ? `slot of ${formatBytes(profile.flashSlotBytes)} not used (--slot flash)` : 'no flash slot'}`,
			time
				? `  time:   ~${formatDuration(time.seconds)} per inference — estimate on ${profile.id} at ${time.cpuHz / 1e6} MHz, ${time.calibrated ? 'per-op cost model calibrated under emulation' : 'not calibrated for this chip'} (${time.basis}; error in docs/benchmarks.md)`
				: `  time:   no estimate (profile ${profile.id} has no clock)`,
			`  ops:    ${report.ops.present.map((o) => `${o.name}${o.count > 1 ? ` ×${o.count}` : ''}`).join(', ')}${report.ops.missing.length > 0 ? ` — not run: ${report.ops.missing.map((o) => o.name).join(', ')}` : ' — all supported'}`
		];
		if (!report.fits) lines.push('', ...report.problems.map((x) => x.message));
		return lines;
	});
	return report.fits;
}
