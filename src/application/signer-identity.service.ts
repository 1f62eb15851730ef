/**
 * Signers are known by a keyed hash of their identity number, scoped to the petition:
 * HMAC-SHA256(server key, petitionId ‖ CIN). The number itself is never stored, the same person
 * is recognised across online and paper channels of one petition, and hashes cannot be linked
 * across petitions. Receipts let a signer later prove their signature was counted.
 */
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { SignerIdentityMode } from '../domain/signature/signer-identity';

export interface ReceiptContent {
  petitionId: string;
  signatureId: string;
  signerHash: string;
  /** Global position of the PetitionSigned event. */
  position: string;
}

@Injectable()
export class SignerIdentity {
  readonly mode: SignerIdentityMode;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.mode = config.signerIdentity;
  }

  /** Expects the number normalised (upper case, no spaces or dashes), as the DTO delivers it. */
  signerHash(petitionId: string, identityNumber: string): string {
    return createHmac('sha256', this.config.signerKey).update(`signer\n${petitionId}\n${identityNumber}`).digest('hex');
  }

  /**
   * The account of an online signer, as recorded on their signature events: keyed and scoped to
   * the petition, so the history cannot link a citizen's signatures across petitions.
   */
  accountPseudonym(petitionId: string, accountId: string): string {
    return `citizen:${createHmac('sha256', this.config.signerKey).update(`account\n${petitionId}\n${accountId}`).digest('hex').slice(0, 32)}`;
  }

  receipt(content: ReceiptContent): string {
    const body = Buffer.from(JSON.stringify([content.petitionId, content.signatureId, content.signerHash, content.position])).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The receipt's content when its MAC holds, else null. */
  openReceipt(receipt: string): ReceiptContent | null {
    const [body, mac, extra] = receipt.split('.');
    if (!body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const [petitionId, signatureId, signerHash, position] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as string[];
      return { petitionId, signatureId, signerHash, position };
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.config.signerKey).update(`receipt\n${body}`).digest('base64url');
  }
}
