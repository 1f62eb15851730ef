/**
 * The projections on the production stack: a scenario driven through the real command side into
 * EventStoreDB, projected into MongoDB by the real projector, must give exactly the documents the
 * embedded SQLite read store gets from the same events; replaying them changes nothing; a rebuild
 * on MongoDB equals the live generation. Skips, with one line, when no Docker engine is reachable.
 */
import Database from 'better-sqlite3';
import { newId } from '../../src/application/clock';
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import { MongoReadStore } from '../../src/infrastructure/read-store/mongo/mongo-read-store';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import type { ReadStore } from '../../src/infrastructure/read-store/read-store.port';
import { allProjections } from '../../src/projections';
import { checkpointName } from '../../src/projections/projection';
import { Projector } from '../../src/projections/projector';
import { rebuildProjection } from '../../src/projections/rebuild';
import { connectWithRetry, describeWithDocker, startEventStoreDb, startMongo, type StartedService } from '../containers/docker';
import { Scenario } from '../support/scenario';
import { snapshot } from './support';

describeWithDocker('projections on EventStoreDB and MongoDB', () => {
  let esdb: StartedService;
  let mongo: StartedService;
  let events: EsdbEventStore;
  let scenario: Scenario;

  beforeAll(async () => {
    [esdb, mongo] = await Promise.all([startEventStoreDb(), startMongo()]);
    events = await connectWithRetry(() => EsdbEventStore.connect(esdb.url));
    scenario = new Scenario(events);
    const s = scenario;
    const a = await s.file('commune-tan-tan');
    const ids = await s.sign(a, 205);
    await s.withdrawSignature(a, ids[0]);
    await s.submit(a);
    await s.admissible(a, 'commune-tan-tan');
    await s.respond(a, 'commune-tan-tan', 'partially_adopted');
    const b = await s.file('province-tan-tan', 'Transport scolaire pour les douars');
    await s.sign(b, 300);
    await s.submit(b);
    s.clock.advanceDays(70);
    await s.missDeadline(b);
    await s.inadmissible(b, 'province-tan-tan');
    await s.file('commune-sefrou', 'Réhabilitation de la médina de Sefrou');
    await s.dialogueStory('commune-sefrou');
  });

  afterAll(async () => {
    await events?.close();
    await Promise.all([esdb?.stop(), mongo?.stop()]);
  });

  async function project(read: ReadStore): Promise<void> {
    const projector = new Projector(events, read, allProjections(scenario.rules), { owner: `spec-${newId()}`, batchSize: 40 });
    await projector.start();
    await projector.caughtUp();
    await projector.stop();
  }

  it('MongoDB gets exactly the documents the embedded store gets from the same EventStoreDB events', async () => {
    const mongoStore = await MongoReadStore.connect(mongo.url, `spec_${newId().replace(/-/g, '')}`);
    const sqlite = new SqliteReadStore(new Database(':memory:'));
    try {
      await project(mongoStore);
      await project(sqlite);
      const projections = allProjections(scenario.rules);
      expect(await snapshot(mongoStore, projections)).toEqual(await snapshot(sqlite, projections));
    } finally {
      await mongoStore.close();
      await sqlite.close();
    }
  });

  it('replaying every event from zero changes nothing, and a rebuild equals the live generation', async () => {
    const mongoStore = await MongoReadStore.connect(mongo.url, `spec_${newId().replace(/-/g, '')}`);
    try {
      const projections = allProjections(scenario.rules);
      await project(mongoStore);
      const live = await snapshot(mongoStore, projections);
      for (const p of projections) await mongoStore.deleteCheckpoint(checkpointName(p.name, 1));
      await project(mongoStore);
      expect(await snapshot(mongoStore, projections)).toEqual(live);
      for (const p of projections) await rebuildProjection(events, mongoStore, p, { dropDelayMs: 0 });
      expect(await snapshot(mongoStore, projections, 2)).toEqual(live);
    } finally {
      await mongoStore.close();
    }
  });
});
