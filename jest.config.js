/** Unit, contract and end-to-end tests all run on the embedded store. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec|containers-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
    // ESM-only dependencies reached from the app (content-disposition, via @fastify/static for
    // /docs): Node 20 loads them with require(esm), Jest's runtime does not, so compile them to CJS.
    '^.+/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  testTimeout: 30000,
};
