'use strict';
/**
 * Writes realistic history into a DATA_DIR's events.sqlite, in-process, with the service's own
 * compiled command side (like test/support/scenario.ts): PetitionCommands, EventSourcing,
 * SignaturesService, SignatureTallyService, SignerIdentity on a SqliteEventStore.
 *
 * Lifecycle commands (file, threshold, submit, decisions, response, withdrawal, closing) go
 * through the real deciders. Signatures, the bulk of any history, have a fast path that builds
 * the exact events SignPetitionHandler appends (decideSignature + EventSourcing.append's metadata
 * and hash chain) and appends them through SqliteEventStore.appendToStream; `selfCheck()` signs
 * once through each path and fails if their shapes differ, so the generator cannot drift from the
 * handlers. Many commands share one SQLite transaction (`batch`) so that loading a million events
 * takes seconds, not minutes.
 */
const { dist } = require('./common');

const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
const { EventSourcing } = dist('application/event-sourcing.service');
const { PetitionCommands } = dist('application/petition-commands.service');
const { SignatureTallyService } = dist('application/signature-tally.service');
const { SignaturesService } = dist('application/signatures.service');
const { SignerIdentity } = dist('application/signer-identity.service');
const { newId } = dist('application/clock');
const { verifyLinks } = dist('domain/shared/event-chain');
// Each command's name and roles, as the service declares them.
const { ClosePetitionCommand } = dist('commands/close-petition/close-petition.command');
const { DecideAdmissibilityCommand } = dist('commands/decide-admissibility/decide-admissibility.command');
const { FilePetitionCommand } = dist('commands/file-petition/file-petition.command');
const { RecordResponseCommand } = dist('commands/record-response/record-response.command');
const { SignPetitionCommand } = dist('commands/sign-petition/sign-petition.command');
const { SubmitPetitionCommand } = dist('commands/submit-petition/submit-petition.command');
const { WithdrawPetitionCommand } = dist('commands/withdraw-petition/withdraw-petition.command');
const { WithdrawSignatureCommand } = dist('commands/withdraw-signature/withdraw-signature.command');
const { MarkResponseDeadlineMissed } = dist('processes/deadline-watch/deadline-watch.service');
const { decideSignature } = dist('domain/signature/signature.decide');
const { signatureStreamId } = dist('domain/signature/signature.events');
const { loadRulebook } = dist('infrastructure/rulebook/rulebook.loader');
const { thresholdFor, provincesOf } = dist('domain/rules/rulebook');

class History {
  /** Opens (creating) DATA_DIR/events.sqlite as the service does (WAL, synchronous=NORMAL). */
  constructor(dataDir, { signerKey, start = '2026-01-05T08:00:00.000Z' }) {
    this.db = openEmbeddedDatabase(dataDir, 'events.sqlite');
    // Loading only (not measured): a big page cache keeps the random index inserts of a
    // million-event load in memory.
    this.db.pragma('cache_size = -524288');
    this.db.pragma('synchronous = OFF');
    this.store = new SqliteEventStore(this.db);
    this.clockNow = new Date(start);
    const clock = { now: () => this.clockNow };
    this.rules = loadRulebook();
    this.petitions = new PetitionCommands(new EventSourcing(this.store), this.rules, clock);
    this.tallies = new SignatureTallyService(this.store);
    // As test/support/scenario.ts wires them (extra arguments are harmless to older constructors).
    this.identity = new SignerIdentity({ signerKey, signerIdentity: 'declared' });
    this.signatures = new SignaturesService(this.petitions, this.tallies, this.identity);
    this.councils = new Map(this.rules.registry.councils.map((c) => [c.id, c]));
    /** petitionId → what the fast path needs: textDigest, level, required, recorded threshold. */
    this.info = new Map();
    this.events = 0;
  }

  advance(ms) {
    this.clockNow = new Date(this.clockNow.getTime() + ms);
  }

  now() {
    return this.clockNow.toISOString();
  }

  threshold(councilId) {
    return thresholdFor(this.rules.rulebook, this.rules.registry, this.councils.get(councilId));
  }

  provinces(regionId) {
    return provincesOf(this.rules.registry, regionId).map((p) => p.id);
  }

  /** Runs `fn` (which issues many commands) inside one IMMEDIATE transaction. */
  async batch(fn) {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn();
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  ctx(actor) {
    return { actor, correlationId: newId(), causationId: newId() };
  }

  staff(councilId, role = 'clerk') {
    return { id: `${role}-${councilId}`, roles: [role], councilId };
  }

  /** `definition`: the command's name and roles (a command class, or the deadline watch's). */
  async run(definition, petitionId, command, actor) {
    const outcome = await this.petitions.run(definition, petitionId, command, this.ctx(actor));
    this.events += outcome.eventIds.length;
    return outcome;
  }

  /** Files a petition through the real decider; returns its id. */
  async file(councilId, { petitionerType = 'citizens', agentId = 'agent-1', title, subject, requests, reasons } = {}) {
    const council = this.councils.get(councilId);
    if (!council) throw new Error(`no council ${councilId}`);
    const petitionId = newId();
    const association =
      petitionerType === 'association'
        ? {
            name: `Association ${agentId}`,
            registrationNumber: `REG-${agentId}`,
            constitutedOn: '2015-03-01',
            seatOrBranchInTerritory: true,
            activityRelatedToSubject: true,
            memberCount: 150,
            documents: { constitutionProof: true, statutes: true, representativePowers: true },
          }
        : undefined;
    const actor = { id: agentId, roles: [petitionerType === 'association' ? 'association_rep' : 'agent'] };
    await this.run(
      FilePetitionCommand,
      petitionId,
      {
        type: 'FilePetition',
        petitionId,
        council,
        petitionerType,
        ...(association ? { association } : {}),
        title: title ?? 'Éclairage public du quartier El Wahda',
        subject: subject ?? 'Éclairage public du quartier El Wahda : demande des habitants au conseil',
        requests: requests ?? 'Installer des lampadaires solaires dans les rues du quartier',
        reasons: reasons ?? 'La sécurité des habitants la nuit et la circulation des enfants',
      },
      actor,
    );
    const { state } = await this.petitions.loadPetition(petitionId);
    this.info.set(petitionId, {
      id: petitionId,
      councilId,
      level: state.councilLevel,
      textDigest: state.textDigest,
      required: state.thresholdApplies ? state.threshold.required : 0,
      thresholdApplies: state.thresholdApplies,
      ownerId: agentId,
      ownerRole: actor.roles[0],
      signatures: 0,
      thresholdRecorded: !state.thresholdApplies,
    });
    return petitionId;
  }

  /** One signature through the real command side (as Scenario.sign does). */
  async signReal(petitionId, identityNumber, provinceId, accountId = `citizen-${identityNumber}`) {
    const citizen = { id: accountId, roles: ['citizen'], identityNumber };
    const signerHash = this.identity.signerHash(petitionId, identityNumber);
    const { appended, signedAt, position } = await this.signatures.sign(
      SignPetitionCommand,
      petitionId,
      {
        type: 'SignPetition',
        signatureId: newId(),
        signerHash,
        channel: 'online',
        basis: 'residence',
        electoralListRegistered: true,
        ...(provinceId ? { provinceId } : {}),
      },
      this.ctx(citizen),
    );
    // The signature, and the threshold event when it reached the threshold.
    this.events += appended.eventIds.length + (position !== signedAt ? 1 : 0);
    const info = this.info.get(petitionId);
    if (info) info.signatures += 1;
    return appended;
  }

  /**
   * One signature, fast: the PetitionSigned event SignPetitionHandler would append for a new
   * online signer (decideSignature on a collecting petition; metadata and chain as
   * EventSourcing.append builds them), appended with expected revision no_stream. The threshold
   * is recorded through the real SignaturesService.checkThreshold once the count can meet it.
   */
  async signFast(petitionId, identityNumber, provinceId, accountId = `citizen-${identityNumber}`) {
    const info = this.info.get(petitionId);
    const signerHash = this.identity.signerHash(petitionId, identityNumber);
    const streamId = signatureStreamId(petitionId, signerHash);
    const now = this.now();
    const actor = { id: this.identity.accountPseudonym(petitionId, accountId), roles: ['citizen'], identityNumber };
    const [event] = decideSignature(
      {
        type: 'SignPetition',
        signatureId: newId(),
        signerHash,
        channel: 'online',
        basis: 'residence',
        electoralListRegistered: true,
        ...(provinceId ? { provinceId } : {}),
      },
      { status: 'none' },
      FAST_PETITION(info),
      { actor, now, rulebook: this.rules.rulebook, registry: this.rules.registry },
    );
    const correlationId = newId();
    // EventSourcing.append builds the metadata and chain link exactly as the handler's append does.
    const appended = await this.petitions.eventSourcing.append(
      streamId,
      { state: null, revision: 'no_stream', lastHash: null, events: [] },
      [event],
      {
        actor,
        allowedRoles: SignPetitionCommand.roles,
        command: SignPetitionCommand.commandName,
        correlationId,
        causationId: correlationId,
      },
      now,
    );
    this.events += 1;
    info.signatures += 1;
    if (!info.thresholdRecorded && info.signatures >= info.required) {
      const before = this.events;
      await this.signatures.checkThreshold(petitionId, this.ctx(actor), appended.eventIds[0]);
      const { state } = await this.petitions.loadPetition(petitionId);
      if (state.thresholdReached) {
        info.thresholdRecorded = true;
        this.events = before + 1;
      }
    }
  }

  /** The citizen withdraws their online signature, through the real command side. */
  async withdrawSignature(petitionId, identityNumber, accountId = `citizen-${identityNumber}`) {
    const signerHash = this.identity.signerHash(petitionId, identityNumber);
    const appended = await this.signatures.decideOnSignerStream(
      WithdrawSignatureCommand,
      petitionId,
      signerHash,
      { type: 'WithdrawSignature', signerHash, channel: 'online' },
      this.ctx({ id: accountId, roles: ['citizen'], identityNumber }),
    );
    this.events += appended.eventIds.length;
    this.info.get(petitionId).signatures -= 1;
  }

  /** Signs once through each path and compares the stored events' shapes. */
  async selfCheck() {
    const petitionId = await this.file('commune-tan-tan', { agentId: 'selfcheck-agent' });
    await this.signReal(petitionId, 'ZZ00000001', undefined, 'selfcheck-account');
    await this.signFast(petitionId, 'ZZ00000002', undefined, 'selfcheck-account');
    const all = await this.store.readAll({ filter: { streamPrefixes: [`signature-${petitionId}-`] } });
    if (all.length !== 2) throw new Error(`self-check: expected 2 signature events, found ${all.length}`);
    const shape = (value) =>
      value === null || typeof value !== 'object' ? typeof value : Object.fromEntries(Object.keys(value).map((k) => [k, shape(value[k])]));
    const [real, fast] = all.map((e) => JSON.stringify({ type: e.type, revision: String(e.revision), data: shape(e.data), metadata: shape(e.metadata) }));
    if (real !== fast) throw new Error(`self-check: the fast signature path no longer matches SignPetitionHandler:\n real: ${real}\n fast: ${fast}`);
    const [realActor, fastActor] = all.map((e) => JSON.stringify(e.metadata.actor));
    if (realActor !== fastActor) throw new Error(`self-check: the fast signature path records the signer as ${fastActor}, the handler as ${realActor}`);
    const verified = verifyLinks(all);
    if (!verified.verified) throw new Error(`self-check: hash chain of the fast path does not verify: ${JSON.stringify(verified)}`);
    return petitionId;
  }

  // Lifecycle, through the real deciders.
  async submit(petitionId) {
    const info = this.info.get(petitionId);
    const submission = async () => ({ type: 'SubmitPetition', tally: await this.tallies.tallyOf(petitionId) });
    return this.run(SubmitPetitionCommand, petitionId, submission, { id: info.ownerId, roles: [info.ownerRole] });
  }
  async admissible(petitionId) {
    const { councilId } = this.info.get(petitionId);
    const command = {
      type: 'DeclareAdmissible',
      agendaSession: 'Session ordinaire de février 2027',
      committee: "Commission de l'urbanisme et de l'environnement",
    };
    return this.run(DecideAdmissibilityCommand.admissible, petitionId, command, this.staff(councilId));
  }
  async inadmissible(petitionId) {
    const { councilId } = this.info.get(petitionId);
    const command = {
      type: 'DeclareInadmissible',
      reasonCodes: ['outside_competence'],
      reasonText: "L'objet relève de la compétence de l'État et non du conseil",
    };
    return this.run(DecideAdmissibilityCommand.inadmissible, petitionId, command, this.staff(councilId));
  }
  async respond(petitionId, decision) {
    const { councilId } = this.info.get(petitionId);
    return this.run(
      RecordResponseCommand,
      petitionId,
      {
        type: 'RecordOfficialResponse',
        decision,
        text: 'Le conseil a délibéré et vote le budget nécessaire aux travaux demandés',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
      },
      this.staff(councilId, 'official'),
    );
  }
  async withdraw(petitionId) {
    const info = this.info.get(petitionId);
    const owner = { id: info.ownerId, roles: [info.ownerRole] };
    return this.run(WithdrawPetitionCommand, petitionId, { type: 'WithdrawPetition', reason: 'Accord trouvé avec le conseil' }, owner);
  }
  async close(petitionId) {
    const { councilId } = this.info.get(petitionId);
    return this.run(ClosePetitionCommand, petitionId, { type: 'ClosePetition' }, this.staff(councilId));
  }
  async missDeadline(petitionId) {
    const watch = { id: 'system:deadline-watch', roles: ['system'] };
    return this.run(MarkResponseDeadlineMissed, petitionId, { type: 'MarkResponseDeadlineMissed' }, watch);
  }

  async headPosition() {
    return this.store.headPosition();
  }

  async close_() {
    await this.store.close();
    this.db.close();
  }
}

/** The petition state decideSignature needs, for a petition still collecting. */
function FAST_PETITION(info) {
  return {
    id: info.id,
    councilId: info.councilId,
    councilLevel: info.level,
    ownerId: info.ownerId,
    textDigest: info.textDigest,
    status: 'collecting',
    closed: false,
  };
}

module.exports = { History };
