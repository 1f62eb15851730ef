/**
 * Whose signature a request is. Online, a citizen signs as themself: the identity number is the
 * one their identity provider attests (the token's `cin` claim), so one account cannot sign for
 * others, nor test whether someone else signed. Paper signatures are entered from signed sheets by
 * the petition's agent or a clerk, who type the signatory's number.
 *
 * `declared` mode (SIGNER_IDENTITY=declared) accepts the number typed in the request for online
 * signatures too: for development, or a kiosk where staff check the card. Never for a public portal.
 */
import type { Actor } from '../shared/actor';
import { forbidden, refused } from '../shared/domain-error';
import type { SignatureChannel } from './signature.events';

export type SignerIdentityMode = 'attested' | 'declared';

export function resolveSignerIdentity(channel: SignatureChannel, actor: Actor, requested: string | undefined, mode: SignerIdentityMode): string {
  if (channel === 'paper' || mode === 'declared') {
    if (!requested)
      throw refused('IDENTITY_NUMBER_REQUIRED', channel === 'paper' ? "A paper signature gives the signatory's identity number" : 'identityNumber is required');
    return requested;
  }
  if (!actor.identityNumber) {
    throw forbidden('IDENTITY_NOT_ATTESTED', 'Online signing needs a token in which the identity provider attests your identity number (cin claim)');
  }
  if (requested && requested !== actor.identityNumber) {
    throw forbidden('IDENTITY_MISMATCH', 'Online, you sign only as yourself: identityNumber differs from the one your token attests');
  }
  return actor.identityNumber;
}
