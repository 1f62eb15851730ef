/**
 * npm run projections:rebuild [name…]
 * Replays the whole history into a new generation of each named projection (all when none is
 * named) beside the live one, then switches. The service may keep running meanwhile.
 */
import { ConfigError, loadConfig } from '../config/app-config';
import { loadRulebook } from '../infrastructure/rulebook/rulebook.loader';
import { openStores } from '../infrastructure/stores';
import { allProjections } from '../projections';
import { rebuildProjections } from '../projections/rebuild';
import { ProgressBar } from './progress';

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : String(e));
    process.exit(78);
  }
  const projections = allProjections(loadRulebook());
  const unknown = names.filter((n) => !projections.some((p) => p.name === n));
  if (unknown.length) {
    console.error(`Unknown projection(s): ${unknown.join(', ')}. Projections: ${projections.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  const stores = await openStores(config);
  const selected = projections.filter((p) => names.length === 0 || names.includes(p.name));
  try {
    // One pass over the history for all of them: each event is read and decoded once.
    const bar = new ProgressBar('rebuild');
    const results = await rebuildProjections(stores.eventStore, stores.readStore, selected, {
      onProgress: (p) => bar.update(p.position, p.head, p.events, p.elapsedMs),
    });
    const { events, elapsedMs } = results[0];
    const rate = Math.round((events * 1000) / Math.max(1, elapsedMs));
    bar.done(
      `Rebuilt ${results.map((r) => `${r.projection} (generation ${r.from} → ${r.to})`).join(', ')} from ${events} events in ${(elapsedMs / 1000).toFixed(1)} s (${rate.toLocaleString('en')} events/s)`,
    );
  } finally {
    await stores.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
