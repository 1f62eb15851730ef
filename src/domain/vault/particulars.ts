import type { Actor } from '../shared/actor';
import { forbidden, refused } from '../shared/domain-error';
import type { SignerIdentityMode } from '../signature/signer-identity';
import type { SignatoryData } from './signatory-data';

/**
 * Whose particulars a signature records. Paper: what the agent or clerk types from the sheet.
 * Online: the name and address the identity provider attests (token claims), never typed ones —
 * except in `declared` mode (development, staffed kiosks), where the request gives them.
 */
export function resolveParticulars(
  channel: 'online' | 'paper',
  actor: Actor,
  identityNumber: string,
  typed: { fullName?: string; address?: string; provinceId?: string },
  mode: SignerIdentityMode,
): SignatoryData {
  const province = typed.provinceId ? { provinceId: typed.provinceId } : {};
  if (channel === 'online' && mode === 'attested') {
    if (typed.fullName !== undefined || typed.address !== undefined) {
      throw refused('PARTICULARS_ATTESTED', 'Online, your name and address come from your identity provider: leave fullName and address out');
    }
    const { name, address } = actor.attested ?? {};
    if (!name || !address) {
      throw forbidden(
        'IDENTITY_NOT_ATTESTED',
        'Online signing needs a token in which the identity provider attests your name and address (name, address claims)',
      );
    }
    return { fullName: name, identityNumber, address, ...province, source: 'identity_provider' };
  }
  if (!typed.fullName || !typed.address) {
    throw refused('SIGNATORY_PARTICULARS_REQUIRED', 'The law asks for the signatory’s full name and address (fullName, address)');
  }
  return { fullName: typed.fullName, identityNumber, address: typed.address, ...province, source: channel === 'paper' ? 'paper_sheet' : 'declared' };
}
