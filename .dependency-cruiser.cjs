/**
 * dependency-cruiser: the layers of src/, checked by `npm run deps:check`
 * (depcruise src --config .dependency-cruiser.cjs). Every rule is an error.
 *
 *   src/domain/**          pure decisions and events: no framework, no other layer, no I/O
 *   src/application/**     the core around the domain (event sourcing, signatures, tallies, signer
 *                          identity, clock, command metadata): domain + infrastructure PORTS only
 *   src/commands/<case>/** one use case each (controller, dto, command, handler); never another's folder
 *   src/processes/**       scheduled processes (deadline watch…): application + domain
 *   src/projections/**     read side: events → read models
 *   src/read-models/**     read side: query controllers
 *   src/infrastructure/**  adapters (stores, HTTP, auth, rulebook loading) behind *.port.ts interfaces
 *   src/main.ts, src/bootstrap.ts, src/app.module.ts, src/app.tokens.ts, src/config/**
 *                          composition root: may wire anything
 *
 * Paths are relative to the repo root (depcruise runs from there). Type-only imports count too
 * (tsPreCompilationDeps): a type from an adapter is still a dependency on that adapter.
 */

/** Layers that hold use cases or the read side: adapters and the core must not know them. */
const USE_CASES = '^src/(commands|read-models|processes)/';

/**
 * What the core may take from src/infrastructure: the ports (interfaces + injection tokens), and the
 * rulebook token (RULEBOOK, today in rulebook.loader.ts next to the loader; once it moves to a
 * rulebook.port.ts / rulebook.token.ts the second alternative can go).
 */
const INFRA_PORTS = '(\\.port\\.ts$)|(^src/infrastructure/rulebook/rulebook\\.(loader|token)\\.ts$)';

/** Node modules that do I/O (or reach the process/OS). node:crypto is fine (hashing). */
const NODE_IO =
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|cluster|dgram|dns|tls|worker_threads|readline|os|process|inspector|repl|tty|v8|vm)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- whole graph ------------------------------------------------------------------------------
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Circular imports make module initialisation order-dependent (Nest DI tokens come out undefined). Break the cycle with a port or by moving the shared piece down a layer.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code, unless it is an entry point (src/main.ts, the CLIs in src/cli/).',
      from: {
        orphan: true,
        pathNot: ['^src/main\\.ts$', '^src/cli/[^/]+\\.ts$', '\\.d\\.ts$', '(^|/)\\.[^/]+\\.(js|cjs|mjs|json)$'],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a typo, or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-dev-dep',
      severity: 'error',
      comment: 'Production code must not need a devDependency (npm ci --omit=dev in the Docker image would break). Type-only imports are fine.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'src-not-to-test-or-bench',
      severity: 'error',
      comment: 'src/ never imports test helpers or benchmark code.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },

    // ---- domain: pure -----------------------------------------------------------------------------
    {
      name: 'domain-not-to-other-layers',
      severity: 'error',
      comment: 'src/domain is pure: it imports nothing of application, infrastructure, use cases, projections or processes.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(application|infrastructure|commands|read-models|projections|processes|config|cli)/|^src/[^/]+\\.ts$' },
    },
    {
      name: 'domain-not-to-frameworks',
      severity: 'error',
      comment: 'src/domain does not know Nest (nor the store drivers): decisions are plain functions over plain data.',
      from: { path: '^src/domain/' },
      to: { path: '(^|/)node_modules/(@nestjs|@fastify|fastify|rxjs|class-validator|class-transformer|better-sqlite3|mongodb|@eventstore|jose)(/|$)' },
    },
    {
      name: 'domain-no-node-io',
      severity: 'error',
      comment: 'src/domain does no I/O: no fs, net, http, child_process… (node:crypto for hashing is allowed).',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },

    // ---- application: the core --------------------------------------------------------------------
    {
      name: 'application-not-to-use-cases-or-read-side',
      severity: 'error',
      comment: 'src/application is below the use cases: it never imports commands, read models, projections or processes.',
      from: { path: '^src/application/' },
      to: { path: '^src/(commands|read-models|projections|processes)/' },
    },
    {
      name: 'application-only-infrastructure-ports',
      severity: 'error',
      comment:
        'src/application may take ports (*.port.ts) and the rulebook token from src/infrastructure, never an adapter: inject the adapter through its token.',
      from: { path: '^src/application/' },
      to: { path: '^src/infrastructure/', pathNot: INFRA_PORTS },
    },

    // ---- commands: one folder per use case ---------------------------------------------------------
    {
      name: 'use-case-not-to-other-use-case',
      severity: 'error',
      comment: "A use case (src/commands/<case>/) never imports another use case's folder; what two of them share belongs in src/application (or src/domain).",
      from: { path: '^src/commands/([^/]+)/' },
      to: { path: '^src/commands/([^/]+)/', pathNot: '^src/commands/$1/' },
    },
    {
      name: 'use-case-not-to-read-side-or-processes',
      severity: 'error',
      comment: 'A use case decides on the event stream (via src/application), not on read models, and does not call scheduled processes.',
      from: { path: '^src/commands/' },
      to: { path: '^src/(read-models|projections|processes)/' },
    },

    // ---- processes --------------------------------------------------------------------------------
    {
      name: 'processes-only-core',
      severity: 'error',
      comment: 'A scheduled process (src/processes/) works through src/application and src/domain, not through use cases or the read side.',
      from: { path: '^src/processes/' },
      to: { path: '^src/(commands|read-models|projections)/' },
    },
    {
      name: 'processes-only-infrastructure-ports',
      severity: 'error',
      comment: 'Like src/application, a process takes ports from src/infrastructure, not adapters.',
      from: { path: '^src/processes/' },
      to: { path: '^src/infrastructure/', pathNot: INFRA_PORTS },
    },

    // ---- read side --------------------------------------------------------------------------------
    {
      name: 'read-side-not-to-commands',
      severity: 'error',
      comment:
        'Projections and read models never import src/commands (nor src/processes): the read side depends on events and the read store only. Shared helpers (event chain verification, id pipes) belong in src/application or src/infrastructure.',
      from: { path: '^src/(projections|read-models)/' },
      to: { path: '^src/(commands|processes)/' },
    },

    // ---- infrastructure: adapters -----------------------------------------------------------------
    {
      name: 'infrastructure-not-to-use-cases',
      severity: 'error',
      comment: 'Adapters (src/infrastructure) never import use cases, read models or processes: dependencies point inwards.',
      from: { path: '^src/infrastructure/' },
      to: { path: USE_CASES },
    },
  ],

  options: {
    doNotFollow: { path: 'node_modules' },
    // Count `import type` too: layering is about knowledge, not emitted code.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
