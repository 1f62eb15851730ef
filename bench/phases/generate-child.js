'use strict';
/**
 * Writes a realistic history into DATA_DIR (bench/lib/dataset.js) in its own process, so that
 * the process that later forks the measured one stays small: on Linux a child's
 * process.resourceUsage().maxRSS starts from its parent's resident set at fork time.
 *
 * argv[2]: JSON { dir, petitions, events, seed, signerKey }
 */
const { phaseMain } = require('../lib/common');
const { History } = require('../lib/history');
const { generate } = require('../lib/dataset');

async function run({ dir, petitions, events, seed, signerKey }) {
  const history = new History(dir, { signerKey });
  await history.selfCheck();
  const generated = await generate(history, { petitions, events, seed });
  await history.close_();
  return { petitions: generated.petitions, events: generated.events, fates: generated.fates, seconds: generated.seconds };
}

module.exports = { run };
phaseMain(module, run);
