// ESLint flat config (ESLint 10, typescript-eslint 8).
//
// Aim: catch real bugs, not police style. Formatting belongs to Prettier (eslint-config-prettier,
// last in the list, switches off every rule that would fight it); layering belongs to
// dependency-cruiser (.dependency-cruiser.cjs). `npm run lint` runs this on the whole repo.
//
// src/ is linted with type information (projectService, tsconfig.json): that is what makes
// no-floating-promises / no-misused-promises possible, the rules that catch a forgotten `await`
// on an append or a projection write. Whole-repo lint stays well under a minute on 2 cores;
// if it ever stops doing so, drop `recommendedTypeChecked` for `recommended` first.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'data/', 'coverage/', 'bench/results*', '**/*.d.ts']),

  js.configs.recommended,
  {
    rules: {
      // Deliberate here: clean-text strips control characters, the benchmark strips ANSI escapes.
      'no-control-regex': 'off',
      // The stores wrap connection errors in a new Error whose message has the credentials redacted;
      // attaching the original as `cause` would put them back in logs. Review such wraps by hand.
      'preserve-caught-error': 'off',
    },
  },

  // ---- TypeScript (src/, test/, bench/*.ts): recommended + type-checked rules ---------------------
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Bugs: an un-awaited promise loses its rejection (and, for appends, the ordering).
      '@typescript-eslint/no-floating-promises': 'error',
      // Passing an async function where a void callback is expected (event emitters, setInterval);
      // attribute checks off: Nest decorators and JSX-like props are not the concern here.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }], // `x == null` (null or undefined) stays allowed
      'no-console': 'error',
      'no-return-await': 'off',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'], // `return p` inside try/catch skips the catch

      // Noise rather than bugs in this code base (JSON payloads of events and rows are `unknown`
      // or `any` at the edges; Nest injects by constructor parameters; `${n}` on numbers is fine).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      '@typescript-eslint/no-extraneous-class': 'off', // Nest modules are empty decorated classes
      '@typescript-eslint/require-await': 'off', // async methods that satisfy an async port interface
      '@typescript-eslint/no-explicit-any': 'warn',
      // Still catches `throw 'text'` / `reject({..})`, but lets a caught error (typed `unknown`) that
      // was stored and is thrown or rejected later pass: the projector and stores do that on purpose.
      // (A caught `unknown` narrowed by `if (failure)` becomes `{}` and is still reported: type the
      // field `Error | null` or disable on the line.) esdb-event-store's `Fatal` is an internal sentinel.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allowThrowingUnknown: true, allowThrowingAny: true, allowRethrowing: true, allow: [{ from: 'file', name: 'Fatal' }] },
      ],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true, allowThrowingAny: true }],
    },
  },

  // ---- portal/: browser code (ES modules loaded natively), typed by its own tsconfig ---------------
  {
    files: ['portal/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // ---- console: only the entry points talk to the terminal ---------------------------------------
  {
    files: ['src/cli/**/*.ts', 'src/main.ts', 'src/bootstrap.ts'],
    rules: { 'no-console': 'off' },
  },

  // ---- test/: relaxed (mocks, fixtures, `expect(...).rejects` patterns) ---------------------------
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off', // expect(obj.method).toHaveBeenCalled()
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },

  // ---- plain JavaScript: bench/ (Node CommonJS scripts) and root config files ---------------------
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022, globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', ecmaVersion: 2022, globals: { ...globals.node } },
  },
  {
    // The benchmark prints its figures: console is its output channel.
    files: ['bench/**'],
    rules: { 'no-console': 'off' },
  },

  prettier,
);
