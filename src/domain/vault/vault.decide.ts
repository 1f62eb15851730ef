/**
 * The signatory-data decider, over the petition's `signatory-data-<id>` stream and its lifecycle
 * state. The list goes to the petition's agent (to attach to the filing) and to the clerks of its
 * council (to verify it), to nobody else; erasure is the signatory's right, or an admin's on a
 * written request; shredding happens once, when the retention period after the petition's end has run.
 */
import { addMonthsUtc } from '../rules/rulebook';
import { hasRole } from '../shared/actor';
import { conflict, DomainError, forbidden, refused } from '../shared/domain-error';
import type { DecisionContext } from '../petition/petition.commands';
import { existing } from '../petition/petition.decide';
import type { PetitionState } from '../petition/petition.state';
import type { ErasureRequester, SignatoryListFormat, VaultEvent } from './vault.events';

export interface VaultState {
  shredded: boolean;
  downloads: number;
}

export const initialVaultState: VaultState = { shredded: false, downloads: 0 };

export function evolveVault(state: VaultState, event: VaultEvent): VaultState {
  switch (event.type) {
    case 'SignatoryListDownloaded':
      return { ...state, downloads: state.downloads + 1 };
    case 'SignatoryDataErased':
      return state;
    case 'SignatoryDataShredded':
      return { ...state, shredded: true };
  }
}

export type VaultCommand =
  | { type: 'DownloadSignatoryList'; format: SignatoryListFormat; rows: number; erasedRows: number }
  | { type: 'EraseSignatoryData'; requestedBy: ErasureRequester; requestReference?: string; keys: { signatureId: string; keyId: string }[] }
  | { type: 'ShredSignatoryData'; retentionMonths: number; keysDeleted: number };

/** Who may download the list: the petition's agent, or a clerk of the council it is addressed to. */
export function signatoryListRight(petitionState: PetitionState, ctx: DecisionContext): 'petition_agent' | 'council_clerk' {
  const petition = existing(petitionState);
  const { actor } = ctx;
  if (actor.id === petition.ownerId) return 'petition_agent';
  if (hasRole(actor, 'clerk')) {
    if (actor.councilId === petition.councilId) return 'council_clerk';
    throw forbidden('NOT_COUNCIL_STAFF', `This petition is addressed to ${petition.councilId}; the token acts for ${actor.councilId ?? 'no council'}`);
  }
  throw forbidden('SIGNATORY_LIST_NOT_ALLOWED', 'Only the petition’s agent and the clerks of its council may download the signatory list');
}

/** When a petition's life ended (closed, or withdrawn), or null while it goes on. */
export function endOf(petitionState: PetitionState): string | null {
  if (!petitionState) return null;
  if (petitionState.status === 'withdrawn') return petitionState.withdrawnAt;
  if ((petitionState.status === 'answered' || petitionState.status === 'inadmissible') && petitionState.closed) return petitionState.closedAt;
  return null;
}

export function decideVault(command: VaultCommand, state: VaultState, petitionState: PetitionState, ctx: DecisionContext): VaultEvent[] {
  const petition = existing(petitionState);
  switch (command.type) {
    case 'DownloadSignatoryList': {
      const as = signatoryListRight(petitionState, ctx);
      return [
        {
          type: 'SignatoryListDownloaded',
          data: { petitionId: petition.id, format: command.format, rows: command.rows, erasedRows: command.erasedRows, as, downloadedAt: ctx.now },
        },
      ];
    }
    case 'EraseSignatoryData': {
      if (command.requestedBy === 'admin') {
        if (!hasRole(ctx.actor, 'admin')) throw forbidden('ROLE_NOT_ALLOWED', 'Only an admin records an erasure requested on paper');
        if (!command.requestReference) throw refused('REQUEST_REFERENCE_REQUIRED', 'An erasure requested on paper records the reference of the request');
      }
      if (command.keys.length === 0)
        throw new DomainError('SIGNATORY_DATA_NOT_FOUND', 'There is no readable personal data of this signatory on the petition', 'not_found');
      return command.keys.map(({ signatureId, keyId }) => ({
        type: 'SignatoryDataErased' as const,
        data: {
          petitionId: petition.id,
          signatureId,
          keyId,
          requestedBy: command.requestedBy,
          ...(command.requestReference ? { requestReference: command.requestReference } : {}),
          erasedAt: ctx.now,
        },
      }));
    }
    case 'ShredSignatoryData': {
      if (state.shredded) throw conflict('SIGNATORY_DATA_SHREDDED', 'The signatory data of this petition was already shredded');
      const endedAt = endOf(petitionState);
      if (!endedAt) throw conflict('PETITION_NOT_ENDED', 'Signatory data is kept while the petition is open');
      if (addMonthsUtc(endedAt, command.retentionMonths) > ctx.now) {
        throw conflict('RETENTION_NOT_OVER', `Signatory data is kept ${command.retentionMonths} months after the petition ended (${endedAt})`);
      }
      return [
        {
          type: 'SignatoryDataShredded',
          data: { petitionId: petition.id, endedAt, retentionMonths: command.retentionMonths, keysDeleted: command.keysDeleted, shreddedAt: ctx.now },
        },
      ];
    }
  }
}
