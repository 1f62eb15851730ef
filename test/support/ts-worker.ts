/**
 * Starts a worker thread from TypeScript sources, as tests run them (the service starts its
 * compiled workers): the worker compiles each .ts file it loads with TypeScript's own transpiler.
 */
import { Worker } from 'node:worker_threads';

const LOADER = `
const ts = require('typescript');
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  module._compile(outputText, filename);
};
require(require('node:worker_threads').workerData.__entry);
`;

export function tsWorker(entry: string, workerData: object): Worker {
  return new Worker(LOADER, { eval: true, workerData: { ...workerData, __entry: entry } });
}
