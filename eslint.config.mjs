import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import slipway from './eslint-rules/layer-boundaries.mjs';

// Browser globals that would tie src/shared to the DOM.
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'location'];

// Ways to turn a string into markup. The renderer shows engine text as React text or in
// xterm, never as HTML: these fail the lint there, so an app name or a log line cannot become an element.
const HTML_SINKS = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'Render text as React children, never as HTML.',
  },
  {
    selector: 'AssignmentExpression > MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'Set textContent, never innerHTML or outerHTML.',
  },
  {
    selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment)$/]',
    message: 'Build elements or text nodes, never markup from a string.',
  },
  {
    selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]",
    message: 'Build elements or text nodes, never markup from a string.',
  },
  { selector: "CallExpression[callee.property.name='parseFromString']", message: 'Never parse a string as markup.' },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-results/',
      'playwright-report/',
      'test/lint/fixtures/',
      // The apps users would deploy (no Dockerfile, plain Node): their code, not Slipway's.
      'test/fixtures/no-dockerfile/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { slipway },
    rules: {
      'slipway/layer-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', ...DOM_GLOBALS] },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    rules: { 'no-restricted-syntax': ['error', ...HTML_SINKS] },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
