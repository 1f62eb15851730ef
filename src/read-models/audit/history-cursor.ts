/**
 * The petition history's page cursor: where the next page starts (in the lifecycle stream, or at
 * which signature of the signatures listing and which revision of its stream), signed with an
 * HMAC bound to the petition. Clients pass it back as it is; one they altered, or one from another
 * petition, is refused (400) instead of steering reads.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface HistoryCursor {
  /** Next lifecycle revision to return, or null once the lifecycle stream is done. */
  lifecycleFrom: bigint | null;
  /** The read store's cursor of the signatures listing page being walked (null: the first page). */
  listCursor: string | null;
  /** Signatures of that listing page already returned. */
  skip: number;
  /** Next revision of the current signature's stream. */
  revision: bigint;
}

export const FIRST_PAGE: HistoryCursor = { lifecycleFrom: 0n, listCursor: null, skip: 0, revision: 0n };

export class HistoryCursorCodec {
  private readonly key: Buffer;

  /** `secret`: a server-side secret (the service derives a key of its own from it). */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('petition-history-cursor/v1').digest();
  }

  encode(petitionId: string, cursor: HistoryCursor): string {
    const payload = Buffer.from(
      JSON.stringify([cursor.lifecycleFrom === null ? null : cursor.lifecycleFrom.toString(), cursor.listCursor, cursor.skip, cursor.revision.toString()]),
    ).toString('base64url');
    return `${payload}.${this.mac(petitionId, payload)}`;
  }

  /** The cursor, or null when it is not one this service issued for this petition. */
  decode(petitionId: string, text: string): HistoryCursor | null {
    const [payload, mac, extra] = text.split('.');
    if (!payload || !mac || extra !== undefined || text.length > 2048) return null;
    const expected = Buffer.from(this.mac(petitionId, payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const [lifecycleFrom, listCursor, skip, revision] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
        string | null,
        string | null,
        number,
        string,
      ];
      return { lifecycleFrom: lifecycleFrom === null ? null : BigInt(lifecycleFrom), listCursor, skip, revision: BigInt(revision) };
    } catch {
      return null;
    }
  }

  private mac(petitionId: string, payload: string): string {
    return createHmac('sha256', this.key).update(`${petitionId}\n${payload}`).digest('base64url');
  }
}
