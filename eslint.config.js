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
		files: [
			'src/lib/protocol/**/*.ts',
			'src/lib/model/**/*.ts',
			'src/lib/checksum/**/*.ts',
			'src/lib/qa/**/*.ts'
		],
		languageOptions: { globals: {} }
	},
	{
		// Text to model inputs and the SQuAD metrics (docs/qa.md): pure, and the bottom of the QA demo.
		files: ['src/lib/qa/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'**/protocol/**',
								'**/transport/**',
								'**/model/**',
								'**/storage/**',
								'**/state/**',
								'**/components/**',
								'**/reference/**',
								'**/demos/**',
								'**/compare/**',
								'**/training/**',
								'$app/*',
								'svelte',
								'svelte/*'
							],
							message:
								'src/lib/qa is a pure layer: it imports only itself (docs/architecture.md, docs/qa.md).'
						}
					]
				}
			]
		}
	},
	{
		// Layering (docs/architecture.md): the pure model layer imports nothing above it.
		files: ['src/lib/model/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'**/protocol/**',
								'**/transport/**',
								'**/storage/**',
								'**/state/**',
								'**/components/**',
								'**/reference/**',
								'**/demos/**',
								'**/training/**',
								'$app/*',
								'svelte',
								'svelte/*'
							],
							message:
								'src/lib/model is a pure layer: it may import only itself and src/lib/format.ts (docs/architecture.md).'
						}
					]
				}
			]
		}
	},
	{
		// The protocol is pure too: it declares the byte link it needs (protocol/link.ts) and the
		// transports implement it; it never imports them, nor anything above.
		files: ['src/lib/protocol/**/*.ts', 'src/lib/checksum/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'**/transport/**',
								'**/model/**',
								'**/storage/**',
								'**/state/**',
								'**/components/**',
								'**/reference/**',
								'**/demos/**',
								'$app/*',
								'svelte',
								'svelte/*'
							],
							message:
								'src/lib/protocol is a pure layer below the transports: it imports only itself and src/lib/checksum (docs/architecture.md).'
						}
					]
				}
			]
		}
	},
	{
		// Storage keeps runs and models; it shares the CRC-32 (src/lib/checksum), not the protocol's code.
		files: ['src/lib/storage/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/protocol/**'],
							allowTypeImports: true,
							message: 'storage may use protocol types only; the CRC-32 is in src/lib/checksum.'
						}
					]
				}
			]
		}
	},
	{
		// Inside the model layer: the IR is the bottom (type-only imports of op modules' IR types);
		// ops see the IR and the quantization math only; format, exec, import, fit and mlp sit above.
		files: ['src/lib/model/ir/**/*.ts', 'src/lib/model/quant/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/format/**', '**/exec/**', '**/tflite/**', '**/fit/**', '**/mlp/**'],
							message: 'ir/ and quant/ are the bottom of src/lib/model (docs/architecture.md).'
						},
						{
							group: ['**/ops/**'],
							allowTypeImports: true,
							message: 'ir/ may import only the IR types of op modules.'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/lib/model/ops/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/exec/**', '**/tflite/**', '**/fit/**', '**/mlp/**'],
							message: 'ops/ sits below exec, import, fit and mlp (docs/architecture.md).'
						},
						{
							group: ['**/format/**'],
							allowTypeImports: true,
							message: 'ops/ may import only the types of the blob format.'
						}
					]
				}
			]
		}
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
		ignores: [
			'build/',
			'build-*/',
			'.svelte-kit/',
			'.svelte-kit-*/',
			'node_modules/',
			'firmware/build/',
			'.venv/'
		]
	}
);
