/** Exhaustiveness check for `switch` over tagged unions: a new case fails to compile. */
export function assertNever(x: never): never {
	throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
