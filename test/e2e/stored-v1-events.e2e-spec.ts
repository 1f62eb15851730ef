/**
 * Events are forever: a petition whose history was stored before the v2 shapes (PetitionFiled.v1,
 * PetitionSigned.v1 with `electoralListRegistered: true`, PetitionDeclaredAdmissible.v1 with a
 * session named in words only) still loads, projects, reads in three languages, verifies, and
 * takes the next command.
 */
import { newId } from '../../src/application/clock';
import { chainHash } from '../../src/domain/shared/event-chain';
import { EVENT_STORE, EventData, EventStore } from '../../src/infrastructure/event-store/event-store.port';
import { DeadlineWatch } from '../../src/processes/deadline-watch/deadline-watch.service';
import { useApp } from './harness';

const h = useApp();
const TAN_TAN = 'commune-tan-tan';
const petitionId = newId();

/** Appends `events` (stored type and data) to `streamId` as the service stored them then: metadata and chain links. */
async function appendStored(
  store: EventStore,
  streamId: string,
  events: { type: string; data: Record<string, unknown>; actor: { id: string; role: string } }[],
) {
  let previous: string | null = null;
  let revision = -1n;
  const stored: EventData[] = events.map((e) => {
    revision += 1n;
    const event: EventData = {
      id: newId(),
      type: e.type,
      data: e.data,
      metadata: { actor: e.actor, correlationId: newId(), causationId: newId(), command: 'Stored before v2', occurredAt: h.clock.iso() },
    };
    const hash = chainHash(previous, streamId, revision, event);
    event.metadata.chain = { previousHash: previous, hash };
    previous = hash;
    return event;
  });
  await store.appendToStream(streamId, stored, { expectedRevision: 'no_stream' });
}

beforeAll(async () => {
  const store = h.app.get<EventStore>(EVENT_STORE);
  const agent = { id: 'agent-v1', role: 'agent' };
  const clerk = { id: 'clerk-v1', role: 'clerk' };
  await appendStored(store, `signature-${petitionId}-hash-v1`, [
    {
      type: 'PetitionSigned.v1',
      data: {
        petitionId,
        signatureId: newId(),
        signerHash: 'hash-v1',
        channel: 'paper',
        basis: 'residence',
        electoralListRegistered: true,
        paperSheetRef: 'sheet 1',
        textDigest: 'd'.repeat(64),
        signedAt: '2027-01-11T09:00:00.000Z',
      },
      actor: agent,
    },
  ]);
  await appendStored(store, `petition-${petitionId}`, [
    {
      type: 'PetitionFiled.v1',
      data: {
        petitionId,
        councilId: TAN_TAN,
        councilLevel: 'commune',
        petitionerType: 'citizens',
        ownerId: 'agent-v1',
        title: 'Éclairage public du quartier Al Amal',
        subject: "Installer l'éclairage public dans les rues du quartier Al Amal",
        requests: 'Inscrire un programme d’éclairage public.',
        reasons: 'Les rues sont dans le noir le soir.',
        textDigest: 'd'.repeat(64),
        threshold: { required: 200 },
        thresholdApplies: true,
        responseDeadlineMonths: 3,
        rulebookVersion: '2026-11-29',
        filedAt: '2027-01-11T09:00:00.000Z',
      },
      actor: agent,
    },
    {
      type: 'PetitionSubmittedToCouncil.v1',
      data: {
        petitionId,
        signatureCount: 200,
        countedUpToPosition: '1',
        submittedAt: '2027-01-11T10:00:00.000Z',
        responseDueAt: '2027-04-11T10:00:00.000Z',
        deadlineMonths: 3,
      },
      actor: agent,
    },
    {
      type: 'PetitionDeclaredAdmissible.v1',
      data: { petitionId, agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des services publics', decidedAt: '2027-01-11T11:00:00.000Z' },
      actor: clerk,
    },
  ]);
});

it('projects the petition: no target session nor declared documents were recorded then, and none is invented', async () => {
  const page = (await h.petition(petitionId)).body;
  expect(page).toMatchObject({
    status: 'admissible',
    agendaSession: 'Session ordinaire de mai 2027',
    targetSession: null,
    declaredDocuments: null,
    sessionMissed: false,
    rulebookVersion: '2026-11-29',
  });
});

it('reads its history in Arabic, French and English, with the session as the clerk named it', async () => {
  for (const [lang, words] of [
    ['fr', "inscrite à l'ordre du jour de : Session ordinaire de mai 2027"],
    ['en', 'placed it on the agenda of Session ordinaire de mai 2027'],
    ['ar', 'جدول أعمال Session ordinaire de mai 2027'],
  ]) {
    const history = await h.readAtHead(`/petitions/${petitionId}/history?lang=${lang}`);
    expect(history.body.entries.map((e: { text: string }) => e.text).join('\n')).toContain(words);
  }
});

it('verifies the stored chain and upcasts nothing in the audit trail (the stored types are shown as stored)', async () => {
  const history = await h.history(petitionId);
  expect(history.lifecycleIntegrity.verified).toBe(true);
  expect(history.events.map((e) => e.type)).toEqual(expect.arrayContaining(['PetitionFiled.v1', 'PetitionDeclaredAdmissible.v1']));
});

it('takes the next command on the v1 history, and the deadline watch records no missed session it cannot know', async () => {
  const official = await h.token('official-v1', ['official'], TAN_TAN);
  h.clock.advanceDays(200);
  expect(await h.app.get(DeadlineWatch).checkNow()).toBe(0);
  const res = await h.post(
    `/petitions/${petitionId}/response`,
    {
      decision: 'adopted',
      text: 'Le conseil adopte le programme d’éclairage.',
      respondingOfficial: { name: 'Président du conseil communal', title: 'Président' },
    },
    official,
  );
  expect(res.status).toBe(200);
  expect((await h.petition(petitionId)).body).toMatchObject({ status: 'answered' });
});
