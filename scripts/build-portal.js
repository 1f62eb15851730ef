/**
 * Builds the portal (dist/portal), served by the service at `/`:
 *  1. the OpenAPI document, from the compiled app booted in-process on a throw-away DATA_DIR
 *     (nothing listens) — or the one in the file `--document` names (the browser tests take it
 *     from the app under test, and build into their own `--out` directory);
 *  2. its TypeScript types (openapi-typescript) into portal/src/generated/api.d.ts;
 *  3. the portal's TypeScript compiled by the project's tsc (portal/tsconfig.json): a route the
 *     document describes badly is a type error here;
 *  4. the static files, and openapi-fetch's ES module under vendor/, the one bare import rewritten.
 * Run by `npm run build` (so by `npm start`); no bundler, no install-time script.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** The service's OpenAPI document, from the compiled app (dist/src). */
async function documentFromBuiltApp() {
  require('reflect-metadata');
  const { createApp } = require(join(root, 'dist', 'src', 'bootstrap.js'));
  const { loadConfig } = require(join(root, 'dist', 'src', 'config', 'app-config.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-build-'));
  try {
    const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, RATE_LIMITS: 'off' }), logger: false, role: 'api', portal: false });
    await app.init();
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    await app.close();
    if (response.statusCode !== 200) throw new Error(`GET /docs-json answered ${response.statusCode}`);
    return JSON.parse(response.body);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Builds the portal from `document` into `out` (default dist/portal). */
async function buildPortal(document, out = join(root, 'dist', 'portal')) {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const generated = join(root, 'portal', 'src', 'generated');
  mkdirSync(generated, { recursive: true });
  // A field with a default is optional in a request: keep it optional in the types too.
  const ast = await openapiTS(document, { defaultNonNullable: false });
  // Written whole then renamed: two builds at once (the browser suites) never read half a file.
  const temporary = join(generated, `api.d.ts.${process.pid}.tmp`);
  writeFileSync(temporary, '/* Generated from the service’s OpenAPI document by scripts/build-portal.js: do not edit. */\n' + astToString(ast));
  renameSync(temporary, join(generated, 'api.d.ts'));
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'portal', 'tsconfig.json'), '--outDir', out], { stdio: 'inherit' });
  cpSync(join(root, 'portal', 'public'), out, { recursive: true });
  mkdirSync(join(out, 'vendor'), { recursive: true });
  cpSync(require.resolve('openapi-fetch').replace(/index\.(c|m)?js$/, 'index.mjs'), join(out, 'vendor', 'openapi-fetch.js'));
  for (const file of listJs(out)) {
    const text = readFileSync(file, 'utf8');
    const depth = file.slice(out.length + 1).split('/').length - 1;
    const rewritten = text.replace(/from (["'])openapi-fetch\1/g, `from "${depth ? '../'.repeat(depth) : './'}vendor/openapi-fetch.js"`);
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

function listJs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'vendor' ? [] : listJs(join(dir, e.name))) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

module.exports = { buildPortal, documentFromBuiltApp };

if (require.main === module) {
  const { values } = require('node:util').parseArgs({ options: { document: { type: 'string' }, out: { type: 'string' } } });
  (values.document ? Promise.resolve(JSON.parse(readFileSync(values.document, 'utf8'))) : documentFromBuiltApp())
    .then((document) => buildPortal(document, values.out))
    .catch((e) => {
      console.error(`Portal build failed: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    });
}
