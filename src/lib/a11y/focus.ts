// Keyboard focus that follows the work. A control that is disabled or removed while it holds focus
// (Connect while connecting, Run while running, Delete once its item is gone) drops focus to
// <body>, and a keyboard or screen-reader user starts over at the top of the page. These helpers
// hand focus to what the action produced instead. Targets that are not controls (a result message,
// a region, a list item) carry tabindex="-1": focusable from script, not in the Tab order.
import { tick } from 'svelte';

type Maybe<T> = T | null | undefined;

/**
 * True when focus fell back to the document (nothing else holds it), or when it is inside one of
 * `within`: the places where the action happened. Anywhere else, the user has moved on and keeps
 * their place.
 */
export function focusIsLostOrIn(...within: Maybe<Element>[]): boolean {
	const active = document.activeElement;
	if (active === null || active === document.body || active === document.documentElement) {
		return true;
	}
	return within.some((el) => el?.contains(active) ?? false);
}

/**
 * After Svelte has applied the pending state to the DOM (`tick()`), focuses `target()`, provided
 * focus is lost or inside one of `from()` (see focusIsLostOrIn); with no `from`, always. Resolves
 * to whether focus moved.
 */
export async function moveFocus(
	target: () => Maybe<HTMLElement>,
	from?: () => Maybe<Element>[]
): Promise<boolean> {
	await tick();
	const el = target();
	if (!el || !el.isConnected) return false;
	if (from && !focusIsLostOrIn(...from())) return false;
	el.focus();
	return document.activeElement === el;
}
