/**
 * The signature decider, over one signer's stream and the petition's lifecycle state.
 * One signature per person per petition: the stream is keyed by the signer's hash, and the
 * handler appends with the revision it decided on, so a concurrent duplicate loses atomically.
 */
import { hasRole } from '../shared/actor';
import { conflict, forbidden, refused } from '../shared/domain-error';
import { CouncilLevel, eligibilityRule, isProvinceOfRegion } from '../rules/rulebook';
import type { DecisionContext } from '../petition/petition.commands';
import { existing, requireCouncilStaff } from '../petition/petition.decide';
import type { PetitionState } from '../petition/petition.state';
import type { PaperSheetLine, SealedSignatoryData } from '../vault/signatory-data';
import { ElectoralEligibility, SIGNER_BASES, SignatureChannel, SignatureEvent, SignerBasis } from './signature.events';

export interface SignerState {
  status: 'none' | 'signed' | 'withdrawn';
  signatureId?: string;
  channel?: SignatureChannel;
  provinceId?: string;
}

export const initialSignerState: SignerState = { status: 'none' };

export function evolveSigner(state: SignerState, event: SignatureEvent): SignerState {
  switch (event.type) {
    case 'PetitionSigned':
      return {
        status: 'signed',
        signatureId: event.data.signatureId,
        channel: event.data.channel,
        ...(event.data.provinceId ? { provinceId: event.data.provinceId } : {}),
      };
    case 'SignatureWithdrawn':
      return { ...state, status: 'withdrawn' };
  }
}

export type SignatureCommand =
  | {
      type: 'SignPetition';
      signatureId: string;
      signerHash: string;
      channel: SignatureChannel;
      basis: SignerBasis;
      /** Communes and provinces: the signer declares meeting the conditions for registration on the electoral lists. */
      meetsElectoralRegistrationConditions?: boolean;
      /** Declared registration on the lists (it implies meeting the conditions). */
      electoralListRegistered?: boolean;
      provinceId?: string;
      paperSheet?: PaperSheetLine;
      /** The particulars, sealed by the vault before deciding (absent only where none were given). */
      signatory?: SealedSignatoryData;
    }
  | {
      type: 'WithdrawSignature';
      signerHash: string;
      channel: SignatureChannel;
      /** The account that recorded the signature (from the signing event's metadata). */
      signedBy?: string;
    };

export function decideSignature(command: SignatureCommand, signer: SignerState, petitionState: PetitionState, ctx: DecisionContext): SignatureEvent[] {
  const petition = existing(petitionState);
  const { actor } = ctx;
  // Online, the signer acts for themself; paper sheets are entered by the petition's owner or a clerk.
  if (command.channel === 'online') {
    if (!hasRole(actor, 'citizen')) throw forbidden('ROLE_NOT_ALLOWED', 'Online signatures are given by citizens (role citizen)');
  } else if (actor.id !== petition.ownerId) {
    // Paper sheets are the agent's or the council clerk's work; officials decide and answer, they do not enter signatures.
    if (!hasRole(actor, 'clerk'))
      throw forbidden('ROLE_NOT_ALLOWED', 'Paper signatures are entered and withdrawn by the petition’s agent or a clerk of the council');
    requireCouncilStaff(actor, petition);
  }
  // Only a collecting petition takes or gives back signatures (it is never closed: only answered or inadmissible ones are).
  if (petition.status !== 'collecting') {
    throw conflict(
      'PETITION_NOT_COLLECTING',
      command.type === 'SignPetition'
        ? `The petition is not collecting signatures; it is ${petition.status}`
        : `Signatures can be withdrawn only before the petition is submitted; it is ${petition.status}`,
      { status: petition.status },
    );
  }

  if (command.type === 'WithdrawSignature') {
    if (signer.status !== 'signed') throw conflict('SIGNATURE_NOT_FOUND', 'This person has no signature on the petition to withdraw');
    // Knowing someone's identity number is not enough: online, only the account that signed withdraws.
    // The recorded channel decides, not the one the request names: an online signature cannot be
    // withdrawn by the agent or a clerk through the paper route.
    if ((command.channel === 'online' || signer.channel === 'online') && command.signedBy !== actor.id) {
      throw forbidden('NOT_THE_SIGNER', 'Only the person who signed online can withdraw the signature; paper signatures are withdrawn by the agent or a clerk');
    }
    return [
      {
        type: 'SignatureWithdrawn',
        data: {
          petitionId: petition.id,
          signatureId: signer.signatureId!,
          signerHash: command.signerHash,
          ...(signer.provinceId ? { provinceId: signer.provinceId } : {}),
          withdrawnAt: ctx.now,
        },
      },
    ];
  }

  // Rules that do not depend on the signer's state first: a refusal must not reveal whether someone signed.
  const electoralEligibility = electoralEligibilityOf(command, petition.councilLevel, ctx);
  if (!SIGNER_BASES.includes(command.basis)) throw refused('SIGNER_BASIS_INVALID', `basis must be one of ${SIGNER_BASES.join(', ')}`);
  if (command.channel === 'paper' && !command.paperSheet) {
    throw refused('PAPER_SHEET_REQUIRED', 'A paper signature records the sheet it was entered from');
  }
  let provinceId: string | undefined;
  if (petition.councilLevel === 'region') {
    // Regional petitions count a 5 % share per province: the signer's province is required.
    if (!command.provinceId) throw refused('PROVINCE_REQUIRED', 'Signers of a regional petition declare their province or prefecture');
    if (!isProvinceOfRegion(ctx.registry, petition.councilId, command.provinceId)) {
      throw refused('PROVINCE_NOT_IN_REGION', `${command.provinceId} is not a province or prefecture of ${petition.councilId}`);
    }
    provinceId = command.provinceId;
  }
  if (signer.status === 'signed') throw conflict('ALREADY_SIGNED', 'This person has already signed the petition');
  return [
    {
      type: 'PetitionSigned',
      data: {
        petitionId: petition.id,
        signatureId: command.signatureId,
        signerHash: command.signerHash,
        channel: command.channel,
        basis: command.basis,
        electoralEligibility,
        ...(provinceId ? { provinceId } : {}),
        ...(command.channel === 'paper' ? { paperSheet: command.paperSheet } : {}),
        ...(command.signatory ? { signatory: command.signatory } : {}),
        textDigest: petition.textDigest,
        signedAt: ctx.now,
      },
    },
  ];
}

/**
 * The electoral-list condition, only where the level's law has it: communes (113-14 art. 123) and
 * provinces (112-14 art. 114) ask that signers meet the conditions for registration on the general
 * electoral lists; regions (111-14 art. 120) ask nothing of the kind.
 */
function electoralEligibilityOf(command: Extract<SignatureCommand, { type: 'SignPetition' }>, level: CouncilLevel, ctx: DecisionContext): ElectoralEligibility {
  const rule = eligibilityRule(ctx.rulebook, level, 'electoral-lists');
  if (!rule) return 'not-required';
  if (command.electoralListRegistered === true) return 'registered';
  if (command.meetsElectoralRegistrationConditions === true) return 'meets-registration-conditions';
  throw refused('SIGNER_ELECTORAL_CONDITIONS_UNMET', `Signers must meet the conditions for registration on the general electoral lists (${rule.article})`, {
    rule: rule.id,
    article: rule.article,
  });
}
