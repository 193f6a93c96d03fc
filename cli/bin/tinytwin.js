#!/usr/bin/env node
// Entry point of the `tinytwin` command: runs the TypeScript CLI through tsx's loader, with its own
// tsconfig (tsconfig.tsx.json: the $lib alias) so it runs from any directory, synced or not.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('./tsconfig.tsx.json', import.meta.url)) });
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv.slice(2));
