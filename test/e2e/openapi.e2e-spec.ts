/** The OpenAPI document lists every route, documents each command's body, and the docs page is served. */
import { useApp } from './harness';

const h = useApp();

const ROUTES: [method: 'get' | 'post', path: string][] = [
  ['post', '/petitions'],
  ['post', '/petitions/{id}/signatures'],
  ['post', '/petitions/{id}/signatures/withdrawal'],
  ['post', '/petitions/{id}/submission'],
  ['post', '/petitions/{id}/admissibility'],
  ['post', '/petitions/{id}/response'],
  ['post', '/petitions/{id}/withdrawal'],
  ['post', '/petitions/{id}/closure'],
  ['get', '/petitions/{id}'],
  ['get', '/petitions/{id}/events'],
  ['get', '/councils'],
  ['get', '/councils/{id}'],
  ['get', '/health'],
  ['get', '/receipts/{receipt}'],
  ['post', '/petitions/{id}/signatures/invalidations'],
  ['post', '/petitions/{id}/signatures/invalidations/{invalidationId}/reinstatement'],
  ['get', '/petitions/{id}/signatories'],
  ['post', '/signers/erasure'],
  ['get', '/receipts/{receipt}/proof'],
  ['get', '/audit/public-key'],
  ['get', '/audit/checkpoints'],
  ['post', '/audit/checkpoints'],
  ['get', '/audit/proofs/inclusion'],
  ['get', '/audit/proofs/consistency'],
  ['get', '/petitions/{id}/audit'],
  ['post', '/officials'],
  ['post', '/dialogues'],
  ['post', '/dialogues/{id}/messages'],
  ['post', '/dialogues/{id}/messages/{messageId}/council-answer'],
  ['post', '/dialogues/{id}/commitments'],
  ['post', '/dialogues/{id}/commitments/{commitmentId}/kept'],
  ['post', '/dialogues/{id}/messages/{messageId}/hidden'],
  ['post', '/dialogues/{id}/messages/{messageId}/restoration'],
  ['post', '/dialogues/{id}/closure'],
  ['post', '/dialogues/{id}/escalation'],
  ['post', '/petitions/{id}/positions'],
  ['post', '/follows'],
  ['post', '/follows/withdrawal'],
  ['post', '/officials/{councilId}/{id}/term-end'],
  ['get', '/dialogues'],
  ['get', '/dialogues/categories'],
  ['get', '/dialogues/{id}'],
  ['get', '/dialogues/{id}/history'],
  ['get', '/dialogues/{id}/moderation'],
  ['get', '/dialogues/{id}/events'],
  ['get', '/officials'],
  ['get', '/officials/{id}'],
  ['get', '/petitions/{id}/positions'],
  ['get', '/exports/officials.{format}'],
  ['get', '/follows'],
];

/** Commands whose body carries the request (submission takes none: the agent's token says it all). */
const BODIES: Record<string, string> = {
  '/petitions': 'FilePetitionDto',
  '/petitions/{id}/signatures': 'SignPetitionDto',
  '/petitions/{id}/signatures/withdrawal': 'WithdrawSignatureDto',
  '/petitions/{id}/admissibility': 'DecideAdmissibilityDto',
  '/petitions/{id}/response': 'RecordResponseDto',
  '/petitions/{id}/withdrawal': 'WithdrawPetitionDto',
  '/petitions/{id}/closure': 'ClosePetitionDto',
  '/petitions/{id}/signatures/invalidations': 'InvalidateSignaturesDto',
  '/petitions/{id}/signatures/invalidations/{invalidationId}/reinstatement': 'ReinstateSignaturesDto',
  '/signers/erasure': 'EraseSignatoryDataDto',
  '/officials': 'RegisterOfficialDto',
  '/dialogues': 'OpenThreadDto',
  '/dialogues/{id}/messages': 'PostMessageDto',
  '/dialogues/{id}/commitments': 'MakeCommitmentDto',
  '/dialogues/{id}/commitments/{commitmentId}/kept': 'KeepCommitmentDto',
  '/dialogues/{id}/messages/{messageId}/hidden': 'HideMessageDto',
  '/dialogues/{id}/closure': 'CloseThreadDto',
  '/dialogues/{id}/escalation': 'EscalateThreadDto',
  '/petitions/{id}/positions': 'StatePositionDto',
  '/follows': 'FollowDto',
  '/follows/withdrawal': 'UnfollowDto',
  '/officials/{councilId}/{id}/term-end': 'EndOfficialTermDto',
};

/** Commands the path and the token say everything about. */
const NO_BODY = [
  '/petitions/{id}/submission',
  '/audit/checkpoints',
  '/dialogues/{id}/messages/{messageId}/council-answer',
  '/dialogues/{id}/messages/{messageId}/restoration',
];

let doc: any;

beforeAll(async () => {
  const res = await h.get('/docs-json');
  expect(res.status).toBe(200);
  doc = res.body;
});

it('is an OpenAPI 3 document with bearer auth', () => {
  expect(doc.openapi).toMatch(/^3\./);
  expect(doc.info.title).toBe('Local petitions');
  expect(Object.values(doc.components.securitySchemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
});

it.each(ROUTES)('lists %s %s', (method, path) => {
  expect(doc.paths[path]?.[method]).toBeDefined();
});

it.each(Object.entries(BODIES))('documents the JSON request body of POST %s (%s)', (path, schema) => {
  const body = doc.paths[path].post.requestBody;
  expect(body).toBeDefined();
  expect(body.content['application/json'].schema.$ref).toBe(`#/components/schemas/${schema}`);
  const component = doc.components.schemas[schema];
  expect(component.type).toBe('object');
  expect(Object.keys(component.properties).length).toBeGreaterThan(0);
});

it('documents every POST route: a body, or none for the commands whose path says it all', () => {
  const posts = Object.entries<any>(doc.paths)
    .filter(([, ops]) => ops.post)
    .map(([path]) => path);
  for (const path of posts) {
    if (path === '/petitions/{id}/submission' || path === '/audit/checkpoints') expect(doc.paths[path].post.requestBody).toBeUndefined();
    if (NO_BODY.includes(path)) expect(doc.paths[path].post.requestBody).toBeUndefined();
    else expect(doc.paths[path].post.requestBody).toBeDefined();
  }
});

it('documents the Idempotency-Key header and problem responses on every command', () => {
  for (const path of [...Object.keys(BODIES), ...NO_BODY]) {
    const op = doc.paths[path].post;
    expect(op.parameters.some((p: any) => p.in === 'header' && p.name === 'Idempotency-Key')).toBe(true);
    // Signing a checkpoint names no resource: it cannot answer 404.
    const statuses = path === '/audit/checkpoints' ? ['400', '401', '403', '409', '422'] : ['400', '401', '403', '404', '409', '422'];
    for (const status of statuses) expect({ path, status, documented: op.responses[status] !== undefined }).toEqual({ path, status, documented: true });
  }
});

it('documents the signing command’s required fields and the identity-number example', () => {
  const sign = doc.components.schemas.SignPetitionDto;
  expect(sign.required).toEqual(expect.arrayContaining(['basis']));
  // The electoral-list condition exists only for communes and provinces: documented, not required by the schema.
  expect(sign.required).not.toContain('meetsElectoralRegistrationConditions');
  expect(sign.properties.meetsElectoralRegistrationConditions.description).toMatch(/113-14 art\. 123/);
  // Online the token attests the number (cin claim), so the body may omit it; paper entries give it.
  expect(sign.required).not.toContain('identityNumber');
  expect(sign.properties.identityNumber.example).toBe('JB123456');
  expect(sign.properties.basis.enum).toEqual(['residence', 'economic_activity', 'commercial_activity', 'professional_activity']);
});

it('documents the fraud-check criteria and reason codes', () => {
  const invalidate = doc.components.schemas.InvalidateSignaturesDto;
  expect(invalidate.required).toEqual(expect.arrayContaining(['reasonCode', 'criteria']));
  expect(invalidate.properties.reasonCode.enum).toContain('automated_or_forged');
  const criteria = doc.components.schemas.InvalidationCriteriaDto;
  expect(Object.keys(criteria.properties).sort()).toEqual(['channel', 'paperSheet', 'provinceId', 'signatureIds', 'signedBefore', 'signedFrom']);
  expect(criteria.properties.paperSheet).toMatchObject({ type: 'number', minimum: 1 });
  expect(doc.components.schemas.ReinstateSignaturesDto.properties.reasonCode.enum).toEqual(['verified_valid', 'invalidated_in_error', 'appeal_upheld']);
  expect(doc.paths['/petitions/{id}/signatures/invalidations'].post.responses['201']).toBeDefined();
});

it('serves the docs page as HTML', async () => {
  const res = await h.get('/docs');
  expect(res.status).toBe(200);
  expect(res.contentType).toMatch(/^text\/html/);
  expect(res.text).toMatch(/<html/i);
  expect(res.text).toMatch(/swagger/i);
});

it('documents 413 and 429 on every command, 429 on the exports, 404 on the signatures of a petition', () => {
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    if (!item.post) continue;
    for (const status of ['413', '429'])
      expect({ path, status, documented: item.post.responses[status] !== undefined }).toEqual({ path, status, documented: true });
  }
  for (const path of Object.keys(doc.paths).filter((p) => p.startsWith('/exports/'))) expect(doc.paths[path].get.responses['429']).toBeDefined();
  expect(doc.paths['/petitions/{id}/signatures'].get.responses['404']).toBeDefined();
});

it('documents the signatory list (html, csv) with its refusals', () => {
  const op = doc.paths['/petitions/{id}/signatories'].get;
  expect(Object.keys(op.responses['200'].content ?? {})).toEqual(expect.arrayContaining(['text/html', 'text/csv']));
  for (const status of ['400', '401', '403', '404']) expect(op.responses[status]).toBeDefined();
  expect(op.parameters.find((p: any) => p.name === 'format')?.schema.enum).toEqual(['csv', 'html']);
  expect(doc.components.schemas.SignPetitionDto.properties.paperSheet).toBeDefined();
  expect(doc.components.schemas.SignPetitionDto.properties.paperSheetRef).toBeUndefined();
});

/**
 * Operations a client cannot get wrong: no parameter, no body, no token. They are listed here, one
 * by one, rather than excused by a rule; every other operation declares a problem it may answer.
 */
const NOTHING_TO_REFUSE = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /projections', 'GET /audit/public-key', 'GET /dialogues/categories'];

it('declares, for every operation, its success schema and the problem documents (application/problem+json) it may answer', () => {
  const PROBLEM = '#/components/schemas/ProblemDocument';
  const gaps: string[] = [];
  const operations = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.responses ?? {}] as const),
  );
  expect(operations.length).toBeGreaterThan(60);
  for (const [name, responses] of operations) {
    const withSchema = (status: string) => Object.values<any>(responses[status]?.content ?? {}).some((media) => media.schema);
    if (!Object.keys(responses).some((s) => /^2\d\d$/.test(s) && withSchema(s))) gaps.push(`${name}: no success schema`);
    const problems = Object.entries<any>(responses).filter(([s, r]) => /^4\d\d$/.test(s) && r.content?.['application/problem+json']?.schema?.$ref === PROBLEM);
    if (NOTHING_TO_REFUSE.includes(name)) {
      if (Object.keys(responses).some((s) => /^4\d\d$/.test(s))) gaps.push(`${name}: listed as refusing nothing, yet declares a 4xx`);
    } else if (problems.length === 0) gaps.push(`${name}: no 4xx problem document`);
    // No error is declared as plain JSON: problems are application/problem+json.
    for (const [s, r] of Object.entries<any>(responses))
      if (/^4\d\d$/.test(s) && r.content?.['application/json']) gaps.push(`${name}: ${s} declared as application/json`);
  }
  expect(gaps).toEqual([]);
  expect(doc.paths['/health/ready'].get.responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ReadyView' });
});

it('describes the dialogue answers the portal reads, field for field', async () => {
  for (const [path, schema] of [
    ['/dialogues', 'ThreadPage'],
    ['/dialogues/{id}', 'ThreadView'],
    ['/dialogues/{id}/history', 'ThreadHistoryPage'],
    ['/officials', 'OfficialPage'],
    ['/officials/{id}', 'OfficialView'],
    ['/follows', 'FollowPage'],
    ['/audit/checkpoints', 'CheckpointPage'],
  ])
    expect(doc.paths[path].get.responses['200'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schema}` });
});
