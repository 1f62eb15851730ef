/**
 * The signatory-data vault (application core). Each signature's particulars are sealed with a
 * fresh 256-bit data key (AES-256-GCM, bound to the petition, signature and key id as associated
 * data); the data key is wrapped with the master key and kept in the key store, the sealed
 * particulars go into the signature event. Reading needs both; erasure deletes the key.
 *
 * It also runs the commands of a petition's `signatory-data-<id>` stream (downloads, erasures,
 * shredding) through the vault decider, and reads the petition's current signatories from the
 * event store (signer streams, by prefix — an indexed read of that petition's signatures only).
 */
import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { storedTypesOf, toDomainEvent } from '../domain/event-types';
import type { DecisionContext } from '../domain/petition/petition.commands';
import type { PetitionState } from '../domain/petition/petition.state';
import type { CouncilRegistry } from '../domain/rules/rulebook';
import type { Actor } from '../domain/shared/actor';
import type { SignatureEvent } from '../domain/signature/signature.events';
import { signatureStreamPrefix } from '../domain/signature/signature.events';
import type { SealedSignatoryData, SignatoryData } from '../domain/vault/signatory-data';
import { decideVault, evolveVault, initialVaultState, VaultCommand, VaultState } from '../domain/vault/vault.decide';
import { VaultEvent, vaultStreamId } from '../domain/vault/vault.events';
import { EVENT_STORE, EventStore } from '../infrastructure/event-store/event-store.port';
import { KEY_STORE, KeyStore, SignerKeyRecord } from '../infrastructure/vault/key-store.port';
import { newId } from './clock';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import type { Appended } from './event-sourcing.service';
import { PetitionCommands } from './petition-commands.service';

/** A current signature of the petition, with its sealed particulars (absent on v1 events). */
export interface SignatoryEntry {
  signatureId: string;
  channel: 'online' | 'paper';
  signedAt: string;
  provinceId?: string;
  paperSheet?: { sheet: number; line: number };
  /** v1 events: the sheet reference as it was typed. */
  paperSheetRef?: string;
  sealed?: SealedSignatoryData;
}

/** A signatory's particulars when readable; `erased` once the key is gone; `not_recorded` before the vault existed (v1 events). */
export type Opened = { state: 'readable'; data: SignatoryData } | { state: 'erased' } | { state: 'not_recorded' };

const SIGNATURE_TYPES = storedTypesOf('PetitionSigned', 'SignatureWithdrawn');
const BATCH = 5_000;

@Injectable()
export class SignatoryVault {
  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly petitions: PetitionCommands,
  ) {}

  get retentionMonths(): number {
    return this.config.vault.retentionMonths;
  }

  /** Keyed hash of an identity number across petitions: finds a person's keys for an erasure. Kept only in the key store. */
  subjectHash(identityNumber: string): string {
    return createHmac('sha256', this.config.signerKey).update(`subject\n${identityNumber}`).digest('hex');
  }

  /** Seals the particulars of a new signature; the key is stored before the event that will reference it. */
  async seal(petitionId: string, signatureId: string, data: SignatoryData): Promise<SealedSignatoryData> {
    const keyId = newId();
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(Buffer.from(`signatory\n${petitionId}\n${signatureId}\n${keyId}`));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    await this.keys.put({
      keyId,
      petitionId,
      signatureId,
      subjectHash: this.subjectHash(data.identityNumber),
      wrappedKey: this.wrap(keyId, dataKey),
      masterKeyId: this.config.vault.masterKeyId,
      createdAt: this.petitions.now(),
    });
    dataKey.fill(0);
    return {
      alg: 'A256GCM',
      keyId,
      iv: iv.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
    };
  }

  /** A key whose signature was refused: no event references it, so it goes at once. */
  async discard(keyId: string): Promise<void> {
    await this.keys.delete([keyId]);
  }

  /** Opens the particulars of these signatures of one petition, in order. */
  async open(petitionId: string, entries: SignatoryEntry[]): Promise<Opened[]> {
    const records = await this.keys.getMany(entries.flatMap((e) => (e.sealed ? [e.sealed.keyId] : [])));
    return entries.map((e) => {
      if (!e.sealed) return { state: 'not_recorded' };
      const record = records.get(e.sealed.keyId);
      if (!record) return { state: 'erased' };
      return { state: 'readable', data: this.unseal(petitionId, e.signatureId, e.sealed, record) };
    });
  }

  /** The petition's current signatures (withdrawn ones left out), in signing order. */
  async signatoriesOf(petitionId: string): Promise<SignatoryEntry[]> {
    const current = new Map<string, SignatoryEntry & { position: bigint }>();
    let after: bigint | undefined;
    for (;;) {
      const batch = await this.store.readAll({ after, maxCount: BATCH, filter: { streamPrefixes: [signatureStreamPrefix(petitionId)] } });
      for (const recorded of batch) {
        if (!SIGNATURE_TYPES.includes(recorded.type)) continue;
        const event = toDomainEvent(recorded.type, recorded.data) as SignatureEvent | null;
        if (!event || event.data.petitionId !== petitionId) continue;
        if (event.type === 'SignatureWithdrawn') {
          current.delete(recorded.streamId);
          continue;
        }
        const d = event.data;
        current.set(recorded.streamId, {
          position: recorded.position,
          signatureId: d.signatureId,
          channel: d.channel,
          signedAt: d.signedAt,
          ...(d.provinceId ? { provinceId: d.provinceId } : {}),
          ...(d.paperSheet ? { paperSheet: d.paperSheet } : {}),
          ...(d.paperSheetRef ? { paperSheetRef: d.paperSheetRef } : {}),
          ...(d.signatory ? { sealed: d.signatory } : {}),
        });
      }
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1].position;
    }
    return [...current.values()].sort((a, b) => (a.position < b.position ? -1 : 1)).map(({ position: _, ...entry }) => entry);
  }

  /** A person's keys (optionally on one petition), grouped by petition. */
  async keysOfSubject(identityNumber: string, petitionId?: string): Promise<Map<string, SignerKeyRecord[]>> {
    const byPetition = new Map<string, SignerKeyRecord[]>();
    for (const record of await this.keys.findBySubject(this.subjectHash(identityNumber), petitionId)) {
      byPetition.set(record.petitionId, [...(byPetition.get(record.petitionId) ?? []), record]);
    }
    return byPetition;
  }

  deleteKeys(keyIds: string[]): Promise<number> {
    return this.keys.delete(keyIds);
  }

  deletePetitionKeys(petitionId: string): Promise<number> {
    return this.keys.deletePetition(petitionId);
  }

  /** The decision context for `actor` now (rulebook, registry, time). */
  context(actor: Actor): DecisionContext {
    return this.petitions.context(actor, this.petitions.now());
  }

  get registry(): CouncilRegistry {
    return this.petitions.rules.registry;
  }

  loadPetition(petitionId: string): Promise<PetitionState> {
    return this.petitions.loadPetition(petitionId).then((l) => l.state);
  }

  loadVault(petitionId: string): Promise<VaultState> {
    return this.petitions.eventSourcing.load<VaultState, VaultEvent>(vaultStreamId(petitionId), evolveVault, initialVaultState).then((l) => l.state);
  }

  /** Decides a command on the petition's signatory-data stream against its lifecycle state, and appends. */
  async run(definition: CommandDefinition, petitionId: string, command: VaultCommand, metadata: CommandMetadata): Promise<Appended & { state: VaultState }> {
    const petition = (await this.petitions.loadPetition(petitionId)).state;
    const now = this.petitions.now();
    const ctx = this.petitions.context(metadata.actor, now);
    return this.petitions.eventSourcing.execute<VaultState, VaultEvent>(
      vaultStreamId(petitionId),
      evolveVault,
      initialVaultState,
      (state) => decideVault(command, state, petition, ctx),
      { ...metadata, command: definition.commandName, allowedRoles: definition.roles },
      now,
    );
  }

  private wrap(keyId: string, dataKey: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.vault.masterKey, iv);
    cipher.setAAD(Buffer.from(`data-key\n${keyId}`));
    const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), wrapped]);
  }

  private unseal(petitionId: string, signatureId: string, sealed: SealedSignatoryData, record: SignerKeyRecord): SignatoryData {
    if (record.masterKeyId !== this.config.vault.masterKeyId) {
      throw new Error(`Data key ${record.keyId} is wrapped by master key ${record.masterKeyId}, not the configured ${this.config.vault.masterKeyId}`);
    }
    const w = record.wrappedKey;
    const unwrap = createDecipheriv('aes-256-gcm', this.config.vault.masterKey, w.subarray(0, 12));
    unwrap.setAAD(Buffer.from(`data-key\n${record.keyId}`));
    unwrap.setAuthTag(w.subarray(12, 28));
    const dataKey = Buffer.concat([unwrap.update(w.subarray(28)), unwrap.final()]);
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(`signatory\n${petitionId}\n${signatureId}\n${sealed.keyId}`));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
    dataKey.fill(0);
    return JSON.parse(plain.toString('utf8')) as SignatoryData;
  }
}
