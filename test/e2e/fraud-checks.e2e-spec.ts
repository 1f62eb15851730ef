/**
 * Fraud checks end to end: a clerk of the council invalidates signatures by criteria (paper sheet,
 * time window and channel, signature ids) with a reason code; counts, the threshold, submission,
 * the petition page, the signatures list, the daily series, receipts, history and exports follow;
 * a reinstatement reverses it. Refused requests append nothing.
 */
import { citizensPetition, expectProblem, HOUR, Signed, signBody, useApp } from './harness';

const h = useApp();
const COUNCIL = 'commune-tan-tan'; // threshold 200
const agentId = 'agent-fraud';
let id: string;
let early: Signed[];
let late: Signed[];
let lateFrom: string;
let sheetInvalidation: string;
let windowInvalidation: string;

const NAMES = ['Fatima Zahra Bennani', 'Youssef El Idrissi', 'Hanane Chraibi', 'Mehdi Tazi', 'Nadia Amrani'];
const agent = () => h.token(agentId, ['agent']);
const clerk = () => h.token('clerk-tan-tan', ['clerk'], COUNCIL);
const invalidate = async (body: unknown, token?: string) => h.post(`/petitions/${id}/signatures/invalidations`, body, token ?? (await clerk()));
const reinstate = async (invalidationId: string, body: unknown, token?: string) =>
  h.post(`/petitions/${id}/signatures/invalidations/${invalidationId}/reinstatement`, body, token ?? (await clerk()));

/** The request is refused with `status`/`code`, and the event log did not move. */
async function refusedWithoutAppending(
  send: () => Promise<{ status: number; body: any; text: string; contentType: string; headers: any }>,
  status: number,
  code: string,
) {
  const before = await h.headPosition();
  expectProblem(await send(), status, code);
  expect(await h.headPosition()).toBe(before);
}

beforeAll(async () => {
  const filed = await h.post('/petitions', citizensPetition(COUNCIL, 'Réfection de la route de la plage de Tan-Tan'), await agent());
  expect(filed.status).toBe(201);
  id = filed.body.id;
  h.clock.advance(HOUR);
  early = await h.signMany(id, 190, { subPrefix: 'citizen-early' });
  h.clock.advance(HOUR);
  lateFrom = h.clock.iso();
  late = await h.signMany(id, 15, { offset: 190, subPrefix: 'citizen-late' });
  h.clock.advance(HOUR);
  for (let i = 0; i < 5; i++) {
    const res = await h.post(
      `/petitions/${id}/signatures`,
      signBody(`PS${300000 + i}`, { channel: 'paper', paperSheet: { sheet: 9, line: i + 1 }, fullName: NAMES[i], address: `${i + 1} rue Al Massira, Tan-Tan` }),
      await agent(),
    );
    expect(res.status).toBe(201);
  }
  const page = await h.petition(id);
  expect(page.body).toMatchObject({ signatureCount: 210, subStatus: 'threshold_reached', thresholdMet: true, invalidatedCount: 0, invalidations: [] });
});

describe('who may check signatures, and what a check must say', () => {
  const bySheet = { reasonCode: 'irregular_paper_sheet', criteria: { paperSheet: 9 } };

  it('refuses the agent, an official, a clerk of another council and no token; appends nothing', async () => {
    await refusedWithoutAppending(async () => invalidate(bySheet, await agent()), 403, 'ROLE_NOT_ALLOWED');
    await refusedWithoutAppending(async () => invalidate(bySheet, await h.token('official-tan-tan', ['official'], COUNCIL)), 403, 'ROLE_NOT_ALLOWED');
    await refusedWithoutAppending(async () => invalidate(bySheet, await h.token('clerk-other', ['clerk'], 'commune-tiznit')), 403, 'NOT_COUNCIL_STAFF');
    await refusedWithoutAppending(() => h.post(`/petitions/${id}/signatures/invalidations`, bySheet), 401, 'UNAUTHENTICATED');
  });

  it('validates the body: reason codes only, instants with a zone, no unknown field, no empty window; appends nothing', async () => {
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'because', criteria: { channel: 'online' } }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(
      () => invalidate({ reasonCode: 'automated_or_forged', criteria: { signedFrom: '2027-01-10T10:00:00' } }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutAppending(
      () => invalidate({ reasonCode: 'automated_or_forged', criteria: { channel: 'online' }, note: 'Mohamed Alaoui' }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'automated_or_forged' }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(
      () => invalidate({ reasonCode: 'automated_or_forged', criteria: { signatureIds: ['not-a-uuid'] } }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutAppending(
      () => invalidate({ reasonCode: 'automated_or_forged', criteria: { signedFrom: lateFrom, signedBefore: lateFrom } }),
      400,
      'VALIDATION_FAILED',
    );
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'automated_or_forged', criteria: {} }), 422, 'CRITERIA_REQUIRED');
    // Paper sheets are named by number only: the free-text reference of earlier signatures is no criterion.
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'irregular_paper_sheet', criteria: { paperSheetRef: 'sheet 9' } }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'irregular_paper_sheet', criteria: { paperSheet: 'sheet 9' } }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'irregular_paper_sheet', criteria: { paperSheet: 0 } }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'automated_or_forged', criteria: { paperSheet: 404 } }), 422, 'NO_SIGNATURES_MATCHED');
  });

  it('answers 404 for an unknown petition', async () => {
    const res = await h.post(`/petitions/0193a0a0-0000-7000-8000-000000000000/signatures/invalidations`, bySheet, await clerk());
    expectProblem(res, 404, 'PETITION_NOT_FOUND');
  });
});

describe('invalidating by criteria', () => {
  it('a paper sheet: its 5 signatures, in one event with the criteria and the ids', async () => {
    h.clock.advance(HOUR);
    const res = await invalidate({ reasonCode: 'irregular_paper_sheet', criteria: { paperSheet: 9 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ invalidationId: expect.any(String), count: 5, position: expect.any(String) });
    sheetInvalidation = res.body.invalidationId;
    const events = (await h.history(id)).events.filter((e) => e.type === 'SignaturesInvalidated.v1');
    expect(events).toHaveLength(1);
    expect(events[0].streamId).toBe(`invalidations-${id}`);
    expect(events[0].data).toMatchObject({
      petitionId: id,
      invalidationId: sheetInvalidation,
      reasonCode: 'irregular_paper_sheet',
      criteria: { paperSheet: 9 },
      count: 5,
      petitionStatus: 'collecting',
    });
    expect(events[0].data.signatures).toHaveLength(5);
    expect(events[0].metadata).toMatchObject({ command: 'InvalidateSignatures', actor: { id: 'clerk-tan-tan', role: 'clerk', councilId: COUNCIL } });
  });

  it('a time window and a channel: the 15 late online signatures; the threshold is no longer met', async () => {
    const res = await invalidate({
      reasonCode: 'automated_or_forged',
      criteria: { signedFrom: lateFrom, signedBefore: new Date(Date.parse(lateFrom) + HOUR).toISOString().replace('Z', '+00:00'), channel: 'online' },
    });
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(15);
    windowInvalidation = res.body.invalidationId;

    const page = await h.petition(id);
    expect(page.body).toMatchObject({
      signatureCount: 190,
      progress: 95,
      thresholdReached: true,
      thresholdMet: false,
      subStatus: 'collecting_signatures',
      invalidatedCount: 20,
    });
    expect(page.body.invalidations).toEqual([
      expect.objectContaining({ invalidationId: sheetInvalidation, reasonCode: 'irregular_paper_sheet', count: 5, reinstated: 0 }),
      expect.objectContaining({ invalidationId: windowInvalidation, reasonCode: 'automated_or_forged', count: 15, reinstated: 0 }),
    ]);
    expect(page.body.invalidations[1].reason).toEqual({
      ar: 'توقيعات آلية أو مزورة',
      fr: 'Signatures automatisées ou falsifiées',
      en: 'Automated or forged signatures',
    });
    // The submission decides on the write side's count: 190 of 200.
    await refusedWithoutAppending(async () => h.post(`/petitions/${id}/submission`, undefined, await agent()), 422, 'THRESHOLD_NOT_MET');
  });

  it('the same criteria again match nothing: no signature is invalidated twice', async () => {
    await refusedWithoutAppending(
      () => invalidate({ reasonCode: 'automated_or_forged', criteria: { signedFrom: lateFrom, channel: 'online' } }),
      422,
      'NO_SIGNATURES_MATCHED',
    );
  });

  it('the signatures list shows each state, without the paper sheet reference', async () => {
    const list = await h.readAtHead(`/petitions/${id}/signatures?limit=100`);
    const items = [...list.body.items];
    for (let cursor = list.body.nextCursor; cursor;) {
      const next = await h.get(`/petitions/${id}/signatures?limit=100&cursor=${encodeURIComponent(cursor)}`);
      items.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    const states = items.reduce((acc: Record<string, number>, s: any) => ({ ...acc, [s.state]: (acc[s.state] ?? 0) + 1 }), {});
    expect(states).toEqual({ counted: 190, invalidated: 20 });
    const one = items.find((s: any) => s.id === late[0].signatureId);
    expect(one).toMatchObject({ state: 'invalidated', invalidationId: windowInvalidation, invalidationReason: 'automated_or_forged' });
    expect(JSON.stringify(list.body)).not.toContain('sheet 9');
  });

  it('the daily series and the receipt say invalidated', async () => {
    const daily = await h.readAtHead(`/petitions/${id}/signatures/daily`);
    const total = daily.body.days.reduce((n: number, d: any) => n + d.invalidated, 0);
    expect(total).toBe(20);
    expect(daily.body.days.at(-1).cumulative).toBe(190);
    const receipt = await h.get(`/receipts/${encodeURIComponent(late[0].receipt)}`);
    expect(receipt.body).toMatchObject({ status: 'invalidated', invalidationId: windowInvalidation, invalidationReason: 'automated_or_forged' });
  });

  it('the history says how many and why, in the three languages', async () => {
    const history = await h.readAtHead(`/petitions/${id}/history?lang=fr`);
    const texts = history.body.entries.map((e: any) => e.text);
    expect(texts).toContain('Après vérification, un agent du conseil a invalidé 15 signatures. Motif : Signatures automatisées ou falsifiées.');
    const ar = await h.readAtHead(`/petitions/${id}/history?lang=ar`);
    expect(ar.body.entries.map((e: any) => e.text)).toContain('تحقق موظف(ة) المجلس من التوقيعات وألغى منها: 5 توقيعات. السبب: ورقة توقيعات غير سليمة.');
  });
});

describe('withdrawal and reinstatement', () => {
  it('withdrawing an invalidated signature changes no count', async () => {
    const s = late[3];
    const res = await h.post(`/petitions/${id}/signatures/withdrawal`, { identityNumber: s.identityNumber }, s.token);
    expect(res.status).toBe(200);
    const page = await h.petition(id);
    expect(page.body).toMatchObject({ signatureCount: 190, invalidatedCount: 19 });
    expect(page.body.invalidations[1]).toMatchObject({ count: 15, reinstated: 0, withdrawn: 1, active: 14 });
  });

  it('refuses an unknown invalidation (404), a signature it did not list (422), a reason that is not a code (400)', async () => {
    await refusedWithoutAppending(() => reinstate('0193a0a0-0000-7000-8000-000000000001', { reasonCode: 'verified_valid' }), 404, 'INVALIDATION_NOT_FOUND');
    await refusedWithoutAppending(
      () => reinstate(windowInvalidation, { reasonCode: 'verified_valid', signatureIds: [early[0].signatureId] }),
      422,
      'SIGNATURE_NOT_IN_INVALIDATION',
    );
    await refusedWithoutAppending(() => reinstate(windowInvalidation, { reasonCode: 'they asked nicely' }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(() => reinstate('not-a-uuid', { reasonCode: 'verified_valid' }), 400, 'VALIDATION_FAILED');
    await refusedWithoutAppending(async () => reinstate(windowInvalidation, { reasonCode: 'verified_valid' }, await agent()), 403, 'ROLE_NOT_ALLOWED');
  });

  it('reinstating the time-window invalidation counts its 14 standing signatures again; the threshold is met again', async () => {
    const res = await reinstate(windowInvalidation, { reasonCode: 'invalidated_in_error' }, await h.token('admin-1', ['admin']));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ invalidationId: windowInvalidation, count: 14 });
    const page = await h.petition(id);
    expect(page.body).toMatchObject({ signatureCount: 204, thresholdMet: true, subStatus: 'threshold_reached', invalidatedCount: 5 });
    expect(page.body.invalidations[1]).toMatchObject({
      count: 15,
      reinstated: 14,
      withdrawn: 1,
      active: 0,
      reinstatementReasons: [{ code: 'invalidated_in_error', reason: expect.any(Object) }],
    });
    await refusedWithoutAppending(() => reinstate(windowInvalidation, { reasonCode: 'verified_valid' }), 409, 'NOTHING_TO_REINSTATE');
  });

  it('the submission counts what is counted now: 204', async () => {
    const res = await h.post(`/petitions/${id}/submission`, undefined, await agent());
    expect(res.status).toBe(200);
    const submitted = (await h.history(id)).events.find((e) => e.type === 'PetitionSubmittedToCouncil.v1')!;
    expect(submitted.data.signatureCount).toBe(204);
  });
});

describe('after submission: the bureau verifies, until its decision', () => {
  it('invalidates signatures by id; the submitted petition shows the lower count', async () => {
    const res = await invalidate({
      reasonCode: 'not_on_electoral_list',
      criteria: { signatureIds: [early[0].signatureId, early[1].signatureId, late[3].signatureId] },
    });
    expect(res.status).toBe(201);
    expect(res.body.count).toBe(2); // late[3] was withdrawn: not counted, not listed
    const page = await h.petition(id);
    expect(page.body).toMatchObject({ status: 'submitted', signatureCount: 202, invalidatedCount: 7, thresholdMet: true });
  });

  it('the export carries the invalidated count and reasons', async () => {
    await h.readAtHead(`/petitions/${id}`);
    const csv = await h.get('/exports/petitions.csv');
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const row = rows.find((r) => r.startsWith(id))!.split(',');
    expect(row[columns.indexOf('signaturesInvalidated')]).toBe('7');
    expect(row[columns.indexOf('invalidationReasons')]).toBe('irregular_paper_sheet;not_on_electoral_list');
  });

  it('the council dashboard counts the checks', async () => {
    const dashboard = await h.readAtHead(`/councils/${COUNCIL}/dashboard`);
    expect(dashboard.body.fraudChecks).toEqual({ invalidations: 3, signaturesInvalidated: 22, signaturesReinstated: 14 });
  });

  it('refuses once the bureau has decided: 409 SIGNATURES_FINAL', async () => {
    const decided = await h.post(
      `/petitions/${id}/admissibility`,
      { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des services publics' },
      await clerk(),
    );
    expect(decided.status).toBe(200);
    await refusedWithoutAppending(() => invalidate({ reasonCode: 'automated_or_forged', criteria: { channel: 'online' } }), 409, 'SIGNATURES_FINAL');
    await refusedWithoutAppending(() => reinstate(sheetInvalidation, { reasonCode: 'verified_valid' }), 409, 'SIGNATURES_FINAL');
  });
});

describe('two clerks checking the same sheet at once', () => {
  it('never invalidate a signature twice: the counts add up to the sheet', async () => {
    const filed = await h.post('/petitions', citizensPetition(COUNCIL, 'Entretien des espaces verts du quartier Al Massira'), await agent());
    const other = filed.body.id as string;
    for (let i = 0; i < 12; i++) {
      const res = await h.post(
        `/petitions/${other}/signatures`,
        signBody(`QS${400000 + i}`, {
          channel: 'paper',
          paperSheet: { sheet: 3, line: i + 1 },
          fullName: NAMES[i % NAMES.length],
          address: `${i + 1} rue Al Massira, Tan-Tan`,
        }),
        await agent(),
      );
      expect(res.status).toBe(201);
    }
    const body = { reasonCode: 'irregular_paper_sheet', criteria: { paperSheet: 3 } };
    const url = `/petitions/${other}/signatures/invalidations`;
    const answers = await Promise.all([h.post(url, body, await clerk()), h.post(url, body, await h.token('admin-2', ['admin']))]);
    const created = answers.filter((a) => a.status === 201);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 422, 'NO_SIGNATURES_MATCHED');
    expect(created.reduce((n, a) => n + (a.body.count as number), 0)).toBe(12);
    expect((await h.petition(other)).body).toMatchObject({ signatureCount: 0, invalidatedCount: 12 });
    const events = (await h.history(other)).events.filter((e) => e.type === 'SignaturesInvalidated.v1');
    const listed = events.flatMap((e) => e.data.signatures.map((x: { signatureId: string }) => x.signatureId));
    expect(new Set(listed).size).toBe(12);
    expect(listed).toHaveLength(12);
  });
});

it('answered no request with a 5xx', () => {
  expect(h.serverErrors).toEqual([]);
});
