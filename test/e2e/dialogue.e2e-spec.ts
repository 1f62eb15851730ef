/**
 * The dialogue, end to end on the embedded store: a citizen of Sefrou opens a thread to a
 * councillor of the commune; the councillor replies and commits to a date; the date passes and the
 * commitment shows as missed on the councillor's accountability view; a moderator hides an abusive
 * message the public no longer sees but an auditor does; the thread becomes a petition whose page
 * shows the link and the councillor's position.
 */
import { CommitmentWatch } from '../../src/processes/commitment-watch/commitment-watch.service';
import { DAY, expectProblem, UUID, useApp } from './harness';

const h = useApp();
const COUNCIL = 'commune-sefrou';

let clerk: string;
let citizen: string;
let other: string;
let councillor: string;
let moderator: string;
let auditor: string;
let councillorId: string;

const at = async (url: string, token?: string) => h.readAtHead(url, token ? { token } : {});

beforeAll(async () => {
  clerk = await h.token('clerk-sefrou', ['clerk'], COUNCIL);
  citizen = await h.token('citizen-fatima', ['citizen']);
  other = await h.token('citizen-youssef', ['citizen']);
  councillor = await h.token('official-karim', ['official'], COUNCIL);
  moderator = await h.token('moderator-1', ['moderator']);
  auditor = await h.token('auditor-1', ['auditor']);
});

describe('the officials registry', () => {
  it('a clerk of the council registers a councillor linked to their account', async () => {
    const res = await h.post(
      '/officials',
      {
        councilId: COUNCIL,
        name: { ar: 'كريم بناني', fr: 'Karim Bennani' },
        role: 'councillor',
        committee: 'Commission des services publics',
        party: 'Liste indépendante',
        termStart: '2021-09-21',
        termEnd: '2027-09-30',
        accountSub: 'official-karim',
      },
      clerk,
    );
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(UUID);
    councillorId = res.body.id;
    const view = await at(`/officials/${councillorId}`);
    expect(view.body).toMatchObject({
      id: councillorId,
      councilId: COUNCIL,
      role: 'councillor',
      inOffice: true,
      threadsAddressed: 0,
      commitments: { open: 0, kept: 0, missed: 0 },
    });
    expect(JSON.stringify(view.body)).not.toContain('official-karim');
  });

  it('a clerk of another council may not, nor a citizen; nothing is appended', async () => {
    const head = await h.headPosition();
    const body = { councilId: COUNCIL, name: { ar: 'سعاد', fr: 'Souad' }, role: 'councillor', termStart: '2021-09-21', termEnd: '2027-09-30', accountSub: 'x' };
    expectProblem(await h.post('/officials', body, await h.token('clerk-tt', ['clerk'], 'commune-tan-tan')), 403, 'NOT_COUNCIL_STAFF');
    expectProblem(await h.post('/officials', body, citizen), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.post('/officials', { ...body, termEnd: '2020-01-01' }, clerk), 422, 'INVALID_TERM');
    expect(await h.headPosition()).toBe(head);
  });

  it('an official token whose account is not in the registry does not act as an official', async () => {
    const stranger = await h.token('official-unknown', ['official'], COUNCIL);
    const opened = await h.post('/dialogues', threadBody(), citizen);
    expect(opened.status).toBe(201);
    expectProblem(await h.post(`/dialogues/${opened.body.id}/messages`, { text: 'Je suis un élu du conseil.' }, stranger), 403, 'NOT_REGISTERED_OFFICIAL');
  });
});

function threadBody(extra: Record<string, unknown> = {}) {
  return {
    councilId: COUNCIL,
    category: 'lighting',
    area: 'Douar Bni Abbas',
    subject: 'La rue principale sans éclairage',
    text: 'La rue principale du douar est dans le noir depuis six mois, les enfants rentrent de l’école dans le noir.',
    displayName: 'Fatima de Bni Abbas',
    ...extra,
  };
}

describe('a thread from a citizen of Sefrou to their councillor', () => {
  let threadId: string;
  let replyId: string;
  let abuseId: string;
  let commitmentId: string;
  let petitionId: string;

  it('the citizen opens it, addressed to the councillor', async () => {
    const res = await h.post('/dialogues', threadBody({ officialId: councillorId }), citizen);
    expect(res.status).toBe(201);
    threadId = res.body.id;
    h.clock.advance(DAY);
    const page = await at(`/dialogues/${threadId}`);
    expect(page.body).toMatchObject({
      id: threadId,
      councilId: COUNCIL,
      officialId: councillorId,
      status: 'open',
      daysWaitingForOfficial: 1,
      displayName: 'Fatima de Bni Abbas',
    });
    expect(JSON.stringify(page.body)).not.toContain('citizen-fatima');
  });

  it('a retried request with the same Idempotency-Key gets the first answer and appends nothing', async () => {
    const key = { 'idempotency-key': 'open-thread-retry-1' };
    const first = await h.post('/dialogues', threadBody({ subject: 'Nids-de-poule avenue Hassan II' }), citizen, key);
    expect(first.status).toBe(201);
    const head = await h.headPosition();
    const again = await h.post('/dialogues', threadBody({ subject: 'Nids-de-poule avenue Hassan II' }), citizen, key);
    expect(again.body).toEqual(first.body);
    expect(await h.headPosition()).toBe(head);
  });

  it('refuses text carrying an identity number, and unknown categories; nothing is appended', async () => {
    const head = await h.headPosition();
    expectProblem(await h.post('/dialogues', threadBody({ text: 'Mon numéro de carte est JB123456, appelez-moi.' }), citizen), 422, 'PERSONAL_DATA_IN_TEXT');
    expectProblem(await h.post('/dialogues', threadBody({ category: 'weather' }), citizen), 422, 'UNKNOWN_CATEGORY');
    expectProblem(await h.post('/dialogues', threadBody({ text: '\u0000\u0001' }), citizen), 400, 'VALIDATION_FAILED');
    expectProblem(await h.post('/dialogues', threadBody({ displayName: 'AB123456' }), citizen), 422, 'PERSONAL_DATA_IN_TEXT');
    expectProblem(
      await h.post(`/dialogues/${threadId}/messages`, { text: 'Appelez-moi, CIN BE 765432.', displayName: 'Fatima' }, citizen),
      422,
      'PERSONAL_DATA_IN_TEXT',
    );
    expectProblem(await h.post('/dialogues', { ...threadBody(), extra: 1 }, citizen), 400, 'VALIDATION_FAILED');
    expectProblem(await h.post('/dialogues/not-a-thread/messages', { text: 'Bonjour à tous' }, councillor), 400, 'VALIDATION_FAILED');
    expectProblem(
      await h.post('/dialogues/0190a000-0000-7000-8000-0000000000ff/messages', { text: 'Bonjour à tous', displayName: 'F' + 'a' }, citizen),
      404,
      'THREAD_NOT_FOUND',
    );
    expect(await h.headPosition()).toBe(head);
  });

  it('the councillor replies as the council’s answer and commits to a date', async () => {
    const reply = await h.post(
      `/dialogues/${threadId}/messages`,
      { text: 'Merci, la commune a programmé des lampadaires pour votre rue.', asCouncilAnswer: true },
      councillor,
    );
    expect(reply.status).toBe(201);
    replyId = reply.body.id;
    expectProblem(
      await h.post(
        `/dialogues/${threadId}/commitments`,
        { text: 'Installer 12 lampadaires dans la rue principale', dueOn: h.clock.iso().slice(0, 10) },
        councillor,
      ),
      422,
      'COMMITMENT_DATE_NOT_FUTURE',
    );
    const commitment = await h.post(
      `/dialogues/${threadId}/commitments`,
      { text: 'Installer 12 lampadaires dans la rue principale', dueOn: '2027-02-15' },
      councillor,
    );
    expect(commitment.status).toBe(201);
    commitmentId = commitment.body.id;
    const page = await at(`/dialogues/${threadId}`);
    expect(page.body.councilAnswerId).toBe(replyId);
    expect(page.body.daysWaitingForOfficial).toBe(0);
    expect(page.body.messages[1]).toMatchObject({ author: { kind: 'official', officialId: councillorId }, councilAnswer: true });
    expect(page.body.commitments).toEqual([expect.objectContaining({ commitmentId, dueOn: '2027-02-15', status: 'open' })]);
    const official = await at(`/officials/${councillorId}`);
    expect(official.body).toMatchObject({
      threadsAddressed: 1,
      threadsReplied: 1,
      replyRate: 1,
      medianHoursToFirstReply: 24,
      commitments: { open: 1, kept: 0, missed: 0 },
    });
  });

  it('once the date has passed, the commitment watch records it missed, once', async () => {
    const watch = h.app.get(CommitmentWatch);
    expect(await watch.checkNow()).toBe(0);
    h.clock.advanceDays(40); // 2027-02-21
    expect(await watch.checkNow()).toBe(1);
    expect(await watch.checkNow()).toBe(0);
    const official = await at(`/officials/${councillorId}`);
    expect(official.body.commitments).toEqual({ open: 0, kept: 0, missed: 1 });
    const page = await at(`/dialogues/${threadId}`);
    expect(page.body.commitments[0].status).toBe('missed');
    expectProblem(
      await h.post(`/dialogues/${threadId}/commitments/${commitmentId}/kept`, { evidence: 'Les lampadaires ont été posés en retard.' }, councillor),
      409,
      'COMMITMENT_NOT_OPEN',
    );
  });

  it('a moderator hides an abusive message: the public no longer sees it, an auditor does', async () => {
    const abuse = await h.post(`/dialogues/${threadId}/messages`, { text: 'Vous êtes tous des voleurs et des menteurs !', displayName: 'Youssef' }, other);
    expect(abuse.status).toBe(201);
    abuseId = abuse.body.id;
    expectProblem(await h.post(`/dialogues/${threadId}/messages/${abuseId}/hidden`, { reasonCode: 'abuse' }, citizen), 403, 'ROLE_NOT_ALLOWED');
    expect((await h.post(`/dialogues/${threadId}/messages/${abuseId}/hidden`, { reasonCode: 'abuse' }, moderator)).status).toBe(200);
    const page = await at(`/dialogues/${threadId}`);
    expect(page.text).not.toContain('voleurs');
    expect(page.text).not.toMatch(/citizen-youssef|citizen-fatima|official-karim/);
    expect(page.body.messages.find((m: any) => m.messageId === abuseId)).toMatchObject({ hidden: true, text: null, hiddenReason: 'abuse' });
    expect((await at(`/dialogues?q=voleurs`)).body.items).toEqual([]);
    expect((await at(`/dialogues/${threadId}/history?lang=fr`)).text).not.toContain('voleurs');

    const moderation = await at(`/dialogues/${threadId}/moderation`, auditor);
    expect(moderation.body.messages).toEqual([
      expect.objectContaining({
        messageId: abuseId,
        text: 'Vous êtes tous des voleurs et des menteurs !',
        hidden: true,
        actions: [expect.objectContaining({ action: 'hidden', reasonCode: 'abuse', by: 'moderator-1' })],
      }),
    ]);
    const events = await h.get(`/dialogues/${threadId}/events`, auditor);
    expect(events.status).toBe(200);
    expect(events.body.integrity.verified).toBe(true);
    expect(events.body.events.find((e: any) => e.type === 'MessageHidden.v1').metadata.actor).toMatchObject({ id: 'moderator-1', role: 'moderator' });
    expectProblem(await h.get(`/dialogues/${threadId}/moderation`, citizen), 403, 'ROLE_NOT_ALLOWED');
  });

  it('search finds threads as people type Arabic and French', async () => {
    const ar = await h.post(
      '/dialogues',
      threadBody({ subject: 'الإنارة العمومية في حيّ الأمل', text: 'الطريق مظلمة منذ ستة أشهر في الحيّ', area: 'حي الأمل', displayName: 'فاطمة' }),
      citizen,
    );
    expect(ar.status).toBe(201);
    expect((await at(`/dialogues?q=${encodeURIComponent('الانارة')}`)).body.items.map((t: any) => t.id)).toEqual([ar.body.id]);
    expect((await at(`/dialogues?q=${encodeURIComponent('حي')}&council=${COUNCIL}`)).body.items.map((t: any) => t.id)).toContain(ar.body.id);
    expect((await at(`/dialogues?q=eclairage`)).body.items.map((t: any) => t.id)).toContain(threadId);
    expect((await at(`/dialogues?official=${councillorId}`)).body.items.map((t: any) => t.id)).toEqual([threadId]);
  });

  it('the citizen escalates the thread into a petition; its page shows the link and the councillor’s position', async () => {
    expectProblem(await h.post(`/dialogues/${threadId}/escalation`, escalation(), other), 403, 'NOT_THREAD_OPENER');
    const res = await h.post(`/dialogues/${threadId}/escalation`, escalation(), citizen);
    expect(res.status).toBe(201);
    petitionId = res.body.id;
    expectProblem(await h.post(`/dialogues/${threadId}/escalation`, escalation(), citizen), 409, 'THREAD_ALREADY_ESCALATED');

    expect(
      (await h.post(`/petitions/${petitionId}/positions`, { stance: 'undecided', reasons: 'Le budget 2027 doit encore être voté.' }, councillor)).status,
    ).toBe(200);
    expect(
      (await h.post(`/petitions/${petitionId}/positions`, { stance: 'support', reasons: "L'éclairage du douar est une priorité." }, councillor)).status,
    ).toBe(200);
    expectProblem(
      await h.post(`/petitions/${petitionId}/positions`, { stance: 'support', reasons: "L'éclairage du douar est une priorité." }, councillor),
      409,
      'POSITION_UNCHANGED',
    );

    const petition = await at(`/petitions/${petitionId}`);
    expect(petition.body).toMatchObject({ councilId: COUNCIL, status: 'collecting', title: 'Éclairage public du douar Bni Abbas', fromThreadId: threadId });
    expect(petition.body.officialPositions).toEqual([
      expect.objectContaining({ officialId: councillorId, name: { ar: 'كريم بناني', fr: 'Karim Bennani' }, role: 'councillor', stance: 'support', changes: 1 }),
    ]);
    const positions = await at(`/petitions/${petitionId}/positions`);
    expect(positions.body.fromThreadId).toBe(threadId);
    expect(positions.body.positions).toEqual([
      expect.objectContaining({
        officialId: councillorId,
        stance: 'support',
        history: [expect.objectContaining({ stance: 'undecided' }), expect.objectContaining({ stance: 'support' })],
      }),
    ]);
    const thread = await at(`/dialogues/${threadId}`);
    expect(thread.body.escalatedTo).toBe(petitionId);
    const official = await at(`/officials/${councillorId}`);
    expect(official.body.positions).toEqual([expect.objectContaining({ petitionId, stance: 'support', changes: 1 })]);
  });

  it('tells the history in words, in Arabic, French and English', async () => {
    const fr = await at(`/dialogues/${threadId}/history?lang=fr`);
    expect(fr.body.entries.map((e: any) => e.type)).toEqual([
      'ThreadOpened',
      'MessagePosted',
      'CouncilAnswerMarked',
      'CommitmentMade',
      'CommitmentMissed',
      'MessagePosted',
      'MessageHidden',
      'ThreadEscalated',
    ]);
    expect(fr.body.entries[1].text).toBe('Le conseiller Karim Bennani a répondu.');
    const ar = await at(`/dialogues/${threadId}/history?lang=ar`);
    expect(ar.body.dir).toBe('rtl');
    expect(ar.body.entries[1].text).toBe('ردّ المستشار(ة) كريم بناني.');
    const en = await at(`/dialogues/${threadId}/history?lang=en`);
    expect(en.body.entries[3].text).toBe('Councillor Karim Bennani committed: “Installer 12 lampadaires dans la rue principale” by 2027-02-15.');
  });

  it('a follower sees what changed since they last looked', async () => {
    const follower = await h.token('citizen-amal', ['citizen']);
    expect((await h.post('/follows', { kind: 'thread', id: threadId }, follower)).status).toBe(201);
    expectProblem(await h.post('/follows', { kind: 'thread', id: threadId }, follower), 409, 'ALREADY_FOLLOWING');
    const first = await at('/follows', follower);
    expect(first.body.items).toEqual([expect.objectContaining({ target: { kind: 'thread', id: threadId }, unseen: 0 })]);
    expect((await h.post(`/dialogues/${threadId}/closure`, { outcome: 'closed', reasonCode: 'escalated' }, citizen)).status).toBe(200);
    const second = await at(`/follows?after=${first.body.lastPosition}`, follower);
    expect(second.body.items[0].unseen).toBe(1);
    expect(second.body.items[0].changes[0].text.en).toBe('The thread was closed.');
  });

  it('the council dashboard and the accountability export carry the dialogue', async () => {
    const dashboard = await h.readAtHead(`/councils/${COUNCIL}/dashboard`);
    expect(dashboard.body.dialogue).toEqual({
      threads: 4,
      open: 3,
      resolved: 0,
      closed: 1,
      withOfficialReply: 1,
      officialReplyRate: 0.25,
      withCouncilAnswer: 1,
      medianHoursToFirstReply: 24,
      commitments: { open: 0, kept: 0, missed: 1 },
      escalatedToPetitions: 1,
    });
    const csv = await h.get('/exports/officials.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Karim Bennani');
    expect(csv.text.split('\r\n')[1]).toContain(',1,1,1,24,0,0,1,1,0,0');
    const json = await h.get('/exports/officials.json');
    expect(json.body[0]).toMatchObject({ officialId: councillorId, commitmentsMissed: 1, replyRate: 1 });
  });
});

describe('the end of a term', () => {
  it('a clerk records it; from then on the account no longer acts as an official', async () => {
    const yesterday = new Date(h.clock.now().getTime() - DAY).toISOString().slice(0, 10);
    expectProblem(await h.post(`/officials/commune-sefrou/${councillorId}/term-end`, { endedOn: yesterday }, citizen), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.post(`/officials/Not A Council/${councillorId}/term-end`, { endedOn: yesterday }, clerk), 400, 'VALIDATION_FAILED');
    expect((await h.post(`/officials/commune-sefrou/${councillorId}/term-end`, { endedOn: yesterday }, clerk)).status).toBe(200);
    const opened = await h.post('/dialogues', threadBody(), citizen);
    expectProblem(await h.post(`/dialogues/${opened.body.id}/messages`, { text: 'Je réponds encore ?' }, councillor), 403, 'NOT_REGISTERED_OFFICIAL');
    expectProblem(await h.post('/dialogues', threadBody({ officialId: councillorId }), citizen), 422, 'OFFICIAL_NOT_IN_OFFICE');
    expect((await at(`/officials/${councillorId}`)).body).toMatchObject({ termEnd: yesterday, inOffice: false });
  });
});

function escalation() {
  return {
    title: 'Éclairage public du douar Bni Abbas',
    subject: "Installer l'éclairage public dans le douar Bni Abbas, dans le noir depuis six mois.",
    requests: 'Inscrire au budget 2027 la pose de douze lampadaires solaires.',
    reasons: 'La promesse faite dans la discussion avec la commune n’a pas été tenue.',
  };
}
