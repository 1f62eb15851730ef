/**
 * The dialogue projection: given the events the real command side writes (Scenario.dialogueStory),
 * the documents — threads, moderation, history, officials' accountability, petitions' positions,
 * council figures, follows. Real SQLite stores; events applied with the real applyBatch, in batches
 * of every size (so documents first written earlier in the same batch are found), and replayed.
 */
import {
  DIALOGUE_COUNCILS,
  DialogueCouncilDoc,
  FollowDoc,
  FOLLOWS,
  MODERATION,
  ModerationDoc,
  OFFICIALS,
  OfficialDoc,
  PETITION_DIALOGUE,
  PetitionDialogueDoc,
  THREAD_HISTORY,
  ThreadDoc,
  ThreadHistoryDoc,
  THREADS,
} from '../../src/projections/dialogue.projection';
import { physicalName } from '../../src/projections/projection';
import { allDocs, applyEvents, openStores, projectionNamed, readAllEvents, runProjector, snapshot, Stores } from './support';

const SEFROU = 'commune-sefrou';
const g1 = (logical: string) => physicalName(logical, 1);

let s: Stores;
let story: Awaited<ReturnType<Stores['scenario']['dialogueStory']>>;

beforeEach(async () => {
  s = openStores();
  story = await s.scenario.dialogueStory(SEFROU);
});

afterEach(async () => {
  await s.close();
});

async function projectAll(batchSize = 7) {
  await applyEvents(s.read, [projectionNamed(s.projections, 'dialogue')], await readAllEvents(s.events), batchSize);
}

describe('dialogue projection', () => {
  it('the thread: messages with the hidden one without its words, answer, commitments, escalation, status', async () => {
    await projectAll();
    const t = (await s.read.get<ThreadDoc>(g1(THREADS), story.threadId))!;
    expect(t).toMatchObject({
      councilId: SEFROU,
      officialId: story.officialId,
      category: 'water',
      status: 'resolved',
      closeReason: 'escalated',
      escalatedTo: story.petitionId,
      awaitingOfficialSince: null,
    });
    expect(t.messages.map((m) => [m.author.kind, m.hidden, m.councilAnswer, m.text === null])).toEqual([
      ['citizen', false, false, false],
      ['official', false, true, false],
      ['citizen', true, false, true],
      ['citizen', false, false, false],
    ]);
    expect(t.messages[3].text).toBe('Merci pour la réponse rapide.');
    expect(t.commitments.map((c) => c.status)).toEqual(['kept', 'missed']);
    expect(t.commitments[0].evidence).toBe('Conduite réparée le 18 janvier, eau rétablie.');
    expect(t.searchText).not.toContain('incapables');
    expect(t.searchText).toContain('coupures');
    expect(JSON.stringify(t)).not.toContain('"openedBy"');
  });

  it('moderation keeps the hidden words, the reason and who acted, for auditors', async () => {
    await projectAll();
    const docs = await allDocs<ModerationDoc>(s.read, g1(MODERATION));
    expect(docs.map((d) => [d.text, d.hidden, d.actions.map((a) => `${a.action}:${a.reasonCode ?? ''}:${a.by}`)])).toEqual(
      expect.arrayContaining([
        ['Vous ne servez à rien, bande d’incapables.', true, ['hidden:abuse:moderator-1']],
        ['Merci pour la réponse rapide.', false, ['hidden:off_topic:moderator-1', 'restored::moderator-1']],
      ]),
    );
  });

  it("the official's accountability: reply rate, hours to first reply, commitments, positions", async () => {
    await projectAll();
    const o = (await s.read.get<OfficialDoc>(g1(OFFICIALS), story.officialId))!;
    expect(o).toMatchObject({
      councilId: SEFROU,
      role: 'councillor',
      threadsAddressed: 1,
      threadsReplied: 1,
      replyRate: 1,
      firstReplyHours: [5],
      medianHoursToFirstReply: 5,
      commitments: { open: 0, kept: 1, missed: 1 },
      positions: [expect.objectContaining({ petitionId: story.petitionId, stance: 'support', changes: 1 })],
    });
    expect(JSON.stringify(o)).not.toContain('official-commune-sefrou');
  });

  it("the petition's dialogue: the thread it came from, the position with every change", async () => {
    await projectAll();
    const p = (await s.read.get<PetitionDialogueDoc>(g1(PETITION_DIALOGUE), story.petitionId))!;
    expect(p.fromThreadId).toBe(story.threadId);
    expect(p.positions).toHaveLength(1);
    expect(p.positions[0]).toMatchObject({ officialId: story.officialId, name: { fr: 'Karim Bennani' }, stance: 'support' });
    expect(p.positions[0].history.map((h) => h.stance)).toEqual(['undecided', 'support']);
  });

  it("the council's dialogue figures", async () => {
    await projectAll();
    expect(await s.read.get<DialogueCouncilDoc>(g1(DIALOGUE_COUNCILS), SEFROU)).toMatchObject({
      threads: 1,
      open: 0,
      resolved: 1,
      withOfficialReply: 1,
      withCouncilAnswer: 1,
      medianHoursToFirstReply: 5,
      commitments: { open: 0, kept: 1, missed: 1 },
      escalated: 1,
    });
  });

  it('history in words, and the follower told of each change after they followed', async () => {
    await projectAll();
    const entries = (
      await s.read.find<ThreadHistoryDoc>(g1(THREAD_HISTORY), { threadId: story.threadId }, { sort: { field: 'seq', direction: 1 }, limit: 100 })
    ).items;
    expect(entries[0].text.fr).toBe('Samira a ouvert la discussion « Coupures d’eau répétées à Hay Al Amal » (Hay Al Amal).');
    expect(entries.map((e) => e.text.en).join('\n')).not.toContain('incapables');
    const follows = await allDocs<FollowDoc>(s.read, g1(FOLLOWS));
    expect(follows).toHaveLength(1);
    expect(follows[0]).toMatchObject({ followerId: story.follower, target: { kind: 'thread', id: story.threadId }, following: true });
    // Everything after the follow on the thread: 15 thread events, none of them the follow itself.
    expect(follows[0].changes.map((c) => c.type)).toEqual(entries.slice(1).map((e) => e.type));
  });

  it('the same documents whatever the batch size, and a replay from zero changes nothing', async () => {
    await projectAll(1);
    const one = await snapshot(s.read, [projectionNamed(s.projections, 'dialogue')]);
    const other = openStores();
    try {
      await applyEvents(other.read, [projectionNamed(other.projections, 'dialogue')], await readAllEvents(s.events), 500);
      expect(await snapshot(other.read, [projectionNamed(other.projections, 'dialogue')])).toEqual(one);
    } finally {
      await other.close();
    }
    await projectAll(3);
    expect(await snapshot(s.read, [projectionNamed(s.projections, 'dialogue')])).toEqual(one);
  });

  it('the real projector gives the same documents', async () => {
    await runProjector(s);
    const live = await snapshot(s.read, [projectionNamed(s.projections, 'dialogue')]);
    const other = openStores();
    try {
      await applyEvents(other.read, [projectionNamed(other.projections, 'dialogue')], await readAllEvents(s.events), 2);
      expect(await snapshot(other.read, [projectionNamed(other.projections, 'dialogue')])).toEqual(live);
    } finally {
      await other.close();
    }
  });
});
