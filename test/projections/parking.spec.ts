/**
 * An event the service cannot read (written into the log by another tool) must neither stall the
 * projector silently nor be skipped without a trace: it is parked (recorded in the read store's
 * settings, logged through onParked) and the projections go on past it. Real stores: the
 * embedded SQLite event log, with the foreign row written straight into its table.
 */
import Database from 'better-sqlite3';
import { newId } from '../../src/application/clock';
import type { UndecodableEvent } from '../../src/infrastructure/event-store/event-store.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { allProjections } from '../../src/projections';
import { PETITIONS } from '../../src/projections/petitions.projection';
import { physicalName } from '../../src/projections/projection';
import { PARKED_EVENT_PREFIX, Projector } from '../../src/projections/projector';
import { Scenario } from '../support/scenario';

describe('projector and undecodable events', () => {
  let eventsDb: Database.Database;
  let readDb: Database.Database;
  let events: SqliteEventStore;
  let read: SqliteReadStore;
  let scenario: Scenario;

  beforeEach(() => {
    eventsDb = new Database(':memory:');
    events = new SqliteEventStore(eventsDb, { pollIntervalMs: 10 });
    readDb = new Database(':memory:');
    read = new SqliteReadStore(readDb);
    scenario = new Scenario(events);
  });

  afterEach(async () => {
    await events.close();
    await read.close();
    eventsDb.close();
    readDb.close();
  });

  /** Another tool's event: not JSON at all. */
  function writeForeignEvent(): bigint {
    const info = eventsDb
      .prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, 0, ?, ?, ?)')
      .run(newId(), `legacy-import-${newId()}`, 'LegacyRow', '<row>not json</row>', '{}');
    return BigInt(info.lastInsertRowid);
  }

  const councilId = () => scenario.rules.registry.councils[0].id;

  it('parks it, records where and why, and projects the events after it', async () => {
    const before = await scenario.file(councilId());
    const foreign = writeForeignEvent();
    const after = await scenario.file(councilId());
    const parked: UndecodableEvent[] = [];
    const errors: unknown[] = [];
    const projector = new Projector(events, read, allProjections(scenario.rules), {
      owner: `test-${newId()}`,
      onParked: (e) => void parked.push(e),
      onError: (e) => void errors.push(e),
    });
    await projector.start();
    try {
      await projector.caughtUp();
    } finally {
      await projector.stop();
    }
    expect(errors).toEqual([]);
    expect(parked).toEqual([expect.objectContaining({ position: foreign, type: 'LegacyRow', reason: expect.stringMatching(/JSON/) })]);
    const record = JSON.parse((await read.getSetting(`${PARKED_EVENT_PREFIX}${foreign}`))!);
    expect(record).toMatchObject({ type: 'LegacyRow', revision: '0', streamId: expect.stringMatching(/^legacy-import-/) });
    for (const id of [before, after]) expect(await read.get(physicalName(PETITIONS, 1), id)).toMatchObject({ _id: id });
    const status = await new Projector(events, read, allProjections(scenario.rules), { owner: 'x' }).status();
    for (const s of status) expect(BigInt(s.position)).toBeGreaterThan(foreign);
  });

  it('a subscriber that does not park stops at it with the reason (never a silent stall)', async () => {
    writeForeignEvent();
    const errors: unknown[] = [];
    const subscription = events.subscribeToAll(() => undefined, { onError: (e) => void errors.push(e) });
    await expect(subscription.caughtUp()).rejects.toThrow(/JSON/);
    expect(errors).toHaveLength(1);
    await expect(subscription.stop()).rejects.toThrow(/JSON/);
  });
});
