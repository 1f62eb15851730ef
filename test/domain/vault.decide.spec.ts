/** The signatory-data decider: who may download the list, erasure, and shredding once the retention period has run. */
import type { PetitionEvent } from '../../src/domain/petition/petition.events';
import { foldPetition } from '../../src/domain/petition/petition.state';
import { addMonthsUtc } from '../../src/domain/rules/rulebook';
import { decideVault, evolveVault, initialVaultState, VaultCommand } from '../../src/domain/vault/vault.decide';
import type { VaultEvent } from '../../src/domain/vault/vault.events';
import { ContextOverrides, contextOf } from './decider-spec';
import {
  admin,
  agent,
  answered,
  auditor,
  citizen,
  clerk,
  clerkOfOtherCouncil,
  closed,
  declaredAdmissible,
  filed,
  NOW,
  official,
  otherAgent,
  PETITION_ID,
  petitionWithdrawn,
  submitted,
  system,
} from './fixtures';

const vault = {
  given: (given: { petition: PetitionEvent[]; vault?: VaultEvent[] }) => ({
    when: (command: VaultCommand, ctx: ContextOverrides) => {
      const run = () => decideVault(command, (given.vault ?? []).reduce(evolveVault, initialVaultState), foldPetition(given.petition), contextOf(ctx));
      return {
        events: run,
        thenThrows(code: string, kind?: string) {
          let error: any;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect({ code: error?.code, kind: kind ? error?.kind : undefined }).toEqual({ code, kind });
        },
      };
    },
  }),
};

const download: VaultCommand = { type: 'DownloadSignatoryList', format: 'csv', rows: 12, erasedRows: 1 };
const shred = (keysDeleted = 3): VaultCommand => ({ type: 'ShredSignatoryData', retentionMonths: 6, keysDeleted });
const ended = [filed(), submitted(), declaredAdmissible(), answered(), closed()];

describe('signatory list downloads', () => {
  it('records a download by the petition’s agent', () => {
    expect(
      vault
        .given({ petition: [filed()] })
        .when(download, { actor: agent })
        .events(),
    ).toStrictEqual([
      { type: 'SignatoryListDownloaded', data: { petitionId: PETITION_ID, format: 'csv', rows: 12, erasedRows: 1, as: 'petition_agent', downloadedAt: NOW } },
    ]);
  });

  it('records a download by a clerk of the petition’s council', () => {
    expect(
      vault
        .given({ petition: [filed(), submitted()] })
        .when(download, { actor: clerk })
        .events()[0].data,
    ).toMatchObject({ as: 'council_clerk' });
  });

  it('refuses a clerk of another council (NOT_COUNCIL_STAFF)', () => {
    vault
      .given({ petition: [filed()] })
      .when(download, { actor: clerkOfOtherCouncil })
      .thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
  });

  it.each([
    ['another agent', otherAgent],
    ['an official of the council', official],
    ['an auditor', auditor],
    ['an admin', admin],
    ['a citizen', citizen],
  ])('refuses %s (SIGNATORY_LIST_NOT_ALLOWED)', (_, actor) => {
    vault
      .given({ petition: [filed()] })
      .when(download, { actor })
      .thenThrows('SIGNATORY_LIST_NOT_ALLOWED', 'forbidden');
  });

  it('refuses an unknown petition (PETITION_NOT_FOUND)', () => {
    vault.given({ petition: [] }).when(download, { actor: agent }).thenThrows('PETITION_NOT_FOUND', 'not_found');
  });
});

describe('erasure', () => {
  const keys = [
    { signatureId: 'sig-1', keyId: 'key-1' },
    { signatureId: 'sig-2', keyId: 'key-2' },
  ];

  it('records one SignatoryDataErased per key, on the signatory’s request', () => {
    expect(vault.given({ petition: ended }).when({ type: 'EraseSignatoryData', requestedBy: 'signatory', keys }, { actor: citizen }).events()).toStrictEqual(
      keys.map((k) => ({ type: 'SignatoryDataErased', data: { petitionId: PETITION_ID, ...k, requestedBy: 'signatory', erasedAt: NOW } })),
    );
  });

  it('records the written request’s reference of an admin erasure', () => {
    const events = vault
      .given({ petition: [filed()] })
      .when({ type: 'EraseSignatoryData', requestedBy: 'admin', requestReference: 'ERA/2027/0001', keys: keys.slice(0, 1) }, { actor: admin })
      .events();
    expect(events[0].data).toMatchObject({ requestedBy: 'admin', requestReference: 'ERA/2027/0001' });
  });

  it('refuses an admin erasure without reference, or by someone who is not an admin', () => {
    vault
      .given({ petition: [filed()] })
      .when({ type: 'EraseSignatoryData', requestedBy: 'admin', keys }, { actor: admin })
      .thenThrows('REQUEST_REFERENCE_REQUIRED', 'rule');
    vault
      .given({ petition: [filed()] })
      .when({ type: 'EraseSignatoryData', requestedBy: 'admin', requestReference: 'ERA/2027/0001', keys }, { actor: clerk })
      .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
  });

  it('answers SIGNATORY_DATA_NOT_FOUND when nothing readable is left', () => {
    vault
      .given({ petition: [filed()] })
      .when({ type: 'EraseSignatoryData', requestedBy: 'signatory', keys: [] }, { actor: citizen })
      .thenThrows('SIGNATORY_DATA_NOT_FOUND', 'not_found');
  });
});

describe('shredding at the end of retention', () => {
  const sixMonthsAfter = (iso: string) => addMonthsUtc(iso, 6);

  it('shreds once six months have passed since the petition was closed', () => {
    const now = sixMonthsAfter('2027-06-01T10:00:00.000Z');
    expect(vault.given({ petition: ended }).when(shred(), { actor: system, now }).events()).toStrictEqual([
      {
        type: 'SignatoryDataShredded',
        data: { petitionId: PETITION_ID, endedAt: '2027-06-01T10:00:00.000Z', retentionMonths: 6, keysDeleted: 3, shreddedAt: now },
      },
    ]);
  });

  it('counts from the withdrawal of a withdrawn petition', () => {
    const events = vault
      .given({ petition: [filed(), petitionWithdrawn()] })
      .when(shred(), { actor: system, now: '2027-07-20T10:00:00.000Z' })
      .events();
    expect(events[0].data).toMatchObject({ endedAt: '2027-01-20T10:00:00.000Z' });
  });

  it('refuses before the period has run, on an open petition, and a second time', () => {
    vault.given({ petition: ended }).when(shred(), { actor: system, now: '2027-11-30T10:00:00.000Z' }).thenThrows('RETENTION_NOT_OVER', 'conflict');
    vault
      .given({ petition: [filed(), submitted(), declaredAdmissible(), answered()] })
      .when(shred(), { actor: system, now: '2030-01-01T00:00:00.000Z' })
      .thenThrows('PETITION_NOT_ENDED', 'conflict');
    const first = vault.given({ petition: ended }).when(shred(), { actor: system, now: '2028-01-01T00:00:00.000Z' }).events();
    vault
      .given({ petition: ended, vault: first })
      .when(shred(0), { actor: system, now: '2028-02-01T00:00:00.000Z' })
      .thenThrows('SIGNATORY_DATA_SHREDDED', 'conflict');
  });

  it('adds calendar months, the day clamped to the month’s end', () => {
    expect(addMonthsUtc('2027-08-31T12:00:00.000Z', 6)).toBe('2028-02-29T12:00:00.000Z');
    expect(addMonthsUtc('2027-01-15T00:00:00.000Z', 6)).toBe('2027-07-15T00:00:00.000Z');
  });
});
