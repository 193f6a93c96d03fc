import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs['flat/recommended'],
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser } }
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		// Pure layers: no DOM, no Node. Transports and the CLI are the only adapters to platform APIs.
		files: ['src/lib/protocol/**/*.ts', 'src/lib/model/**/*.ts'],
		languageOptions: { globals: {} }
	},
	{
		// One adapter file per browser API: only the Web Serial transport touches navigator.serial.
		files: ['src/**/*.ts', 'src/**/*.svelte'],
		ignores: ['src/lib/transport/web-serial.ts'],
		rules: {
			'no-restricted-syntax': [
				'error',
				{
					selector: "MemberExpression[object.name='navigator'][property.name='serial']",
					message: 'Only src/lib/transport/web-serial.ts may use navigator.serial.'
				}
			]
		}
	},
	{
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'firmware/build/', '.venv/']
	}
);
