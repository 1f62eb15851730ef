/**
 * Drives the real command side (deciders, event-sourcing service, signature tally) against an
 * event store, without HTTP: projection specs, rebuild and crash tests replay what it wrote.
 */
import type { AppConfig } from '../../src/config/app-config';
import { EventSourcing } from '../../src/application/event-sourcing.service';
import { PetitionCommands } from '../../src/application/petition-commands.service';
import type { CommandMetadata } from '../../src/application/command-metadata';
import { SignatureTallyService } from '../../src/application/signature-tally.service';
import { SignaturesService } from '../../src/application/signatures.service';
import { SignerIdentity } from '../../src/application/signer-identity.service';
import { newId } from '../../src/application/clock';
import { ClosePetitionCommand } from '../../src/commands/close-petition/close-petition.command';
import { DecideAdmissibilityCommand } from '../../src/commands/decide-admissibility/decide-admissibility.command';
import { FilePetitionCommand } from '../../src/commands/file-petition/file-petition.command';
import { RecordResponseCommand } from '../../src/commands/record-response/record-response.command';
import { SignPetitionCommand } from '../../src/commands/sign-petition/sign-petition.command';
import { SubmitPetitionCommand } from '../../src/commands/submit-petition/submit-petition.command';
import { WithdrawPetitionCommand } from '../../src/commands/withdraw-petition/withdraw-petition.command';
import { WithdrawSignatureCommand } from '../../src/commands/withdraw-signature/withdraw-signature.command';
import { MarkResponseDeadlineMissed } from '../../src/processes/deadline-watch/deadline-watch.service';
import type { Actor } from '../../src/domain/shared/actor';
import { systemActor } from '../../src/domain/shared/actor';
import type { RulesInForce } from '../../src/domain/rules/rulebook';
import type { EventStore } from '../../src/infrastructure/event-store/event-store.port';
import { loadRulebook } from '../../src/infrastructure/rulebook/rulebook.loader';
import { TestClock } from './test-clock';
import { DialogueCommands } from '../../src/application/dialogue-commands.service';
import { loadDialogueRules } from '../../src/infrastructure/rulebook/dialogue-rules.loader';
import type { CommandDefinition } from '../../src/application/command-definition';
import type { ThreadCommand } from '../../src/domain/dialogue/thread.decide';

const DIALOGUE: Record<'register' | 'thread' | 'follow' | 'escalate' | 'position', CommandDefinition> = {
  register: { commandName: 'RegisterOfficial', roles: ['clerk', 'admin'] },
  thread: { commandName: 'Dialogue', roles: ['citizen', 'official', 'moderator', 'system'] },
  follow: { commandName: 'Follow', roles: ['citizen'] },
  escalate: { commandName: 'EscalateThread', roles: ['citizen'] },
  position: { commandName: 'StatePosition', roles: ['official'] },
};

const ctx = (actor: Actor): CommandMetadata => ({ actor, correlationId: newId(), causationId: newId() });

export class Scenario {
  /** A Sunday, the day before the e2e harness's START: the projection specs' dates were written from it. */
  readonly clock = new TestClock('2027-01-10T09:00:00.000Z');
  readonly rules: RulesInForce = loadRulebook();
  readonly petitions: PetitionCommands;
  readonly signatures: SignaturesService;
  readonly identity: SignerIdentity;
  readonly tallies: SignatureTallyService;
  readonly dialogue: DialogueCommands;
  private signerSeq = 0;

  constructor(readonly store: EventStore) {
    const config = { signerKey: 'scenario-signer-key-0123456789abcdef0123456789', signerIdentity: 'attested' } as AppConfig;
    this.petitions = new PetitionCommands(new EventSourcing(store), this.rules, this.clock);
    this.tallies = new SignatureTallyService(store);
    this.identity = new SignerIdentity(config);
    this.signatures = new SignaturesService(this.petitions, this.tallies, this.identity);
    this.dialogue = new DialogueCommands(new EventSourcing(store), this.petitions, loadDialogueRules());
  }

  /** Registers an official of `councilId` linked to the account `sub`; returns their id. */
  async registerOfficial(
    councilId: string,
    sub: string,
    role: 'president' | 'councillor' = 'councillor',
    name = { ar: 'كريم بناني', fr: 'Karim Bennani' },
  ): Promise<string> {
    const officialId = newId();
    await this.dialogue.officials(
      DIALOGUE.register,
      {
        type: 'RegisterOfficial',
        officialId,
        councilId,
        name,
        role,
        committee: null,
        party: null,
        termStart: '2021-09-21',
        termEnd: '2027-09-30',
        accountSub: sub,
      },
      ctx(this.staff(councilId)),
    );
    return officialId;
  }

  /** A thread command as `actor`. */
  async onThread(threadId: string, command: ThreadCommand, actor: Actor): Promise<void> {
    await this.dialogue.thread(DIALOGUE.thread, threadId, command, ctx(actor));
  }

  /**
   * A whole dialogue in a council: an official registered, a thread addressed to them, a reply
   * marked as the council's answer, two commitments (one kept, one missed), a message hidden then
   * another hidden for good, a follower, a position changed once, an escalation, a closure.
   */
  async dialogueStory(councilId: string): Promise<{ officialId: string; threadId: string; petitionId: string; follower: string }> {
    const sub = `official-${councilId}-${newId().slice(-6)}`;
    const officialId = await this.registerOfficial(councilId, sub);
    const official: Actor = { id: sub, roles: ['official'], councilId };
    const citizen: Actor = { id: `citizen-${newId()}`, roles: ['citizen'] };
    const follower: Actor = { id: `citizen-${newId()}`, roles: ['citizen'] };
    const moderator: Actor = { id: 'moderator-1', roles: ['moderator'] };
    const threadId = newId();
    await this.onThread(
      threadId,
      {
        type: 'OpenThread',
        threadId,
        messageId: newId(),
        councilId,
        officialId,
        category: 'water',
        area: 'Hay Al Amal',
        subject: 'Coupures d’eau répétées à Hay Al Amal',
        text: 'L’eau est coupée tous les soirs depuis trois semaines.',
        displayName: 'Samira',
      },
      citizen,
    );
    await this.dialogue.follow(DIALOGUE.follow, 'Follow', { kind: 'thread', id: threadId }, ctx(follower));
    this.clock.advance(5 * 3_600_000);
    const reply = newId();
    await this.onThread(
      threadId,
      { type: 'PostMessage', messageId: reply, text: 'La régie intervient cette semaine sur la conduite principale.', asCouncilAnswer: true },
      official,
    );
    const kept = newId();
    const missed = newId();
    await this.onThread(
      threadId,
      { type: 'MakeCommitment', commitmentId: kept, text: 'Réparer la conduite principale du quartier', dueOn: '2027-01-20' },
      official,
    );
    await this.onThread(
      threadId,
      { type: 'MakeCommitment', commitmentId: missed, text: 'Installer une borne-fontaine provisoire', dueOn: '2027-01-15' },
      official,
    );
    const rude = newId();
    await this.onThread(
      threadId,
      { type: 'PostMessage', messageId: rude, text: 'Vous ne servez à rien, bande d’incapables.', displayName: 'Anonyme' },
      follower,
    );
    await this.onThread(threadId, { type: 'HideMessage', messageId: rude, reasonCode: 'abuse' }, moderator);
    const fine = newId();
    await this.onThread(threadId, { type: 'PostMessage', messageId: fine, text: 'Merci pour la réponse rapide.', displayName: 'Samira' }, citizen);
    await this.onThread(threadId, { type: 'HideMessage', messageId: fine, reasonCode: 'off_topic' }, moderator);
    await this.onThread(threadId, { type: 'RestoreMessage', messageId: fine }, moderator);
    this.clock.advanceDays(6);
    await this.onThread(threadId, { type: 'MarkCommitmentMissed', commitmentId: missed }, systemActor('commitment-watch'));
    await this.onThread(threadId, { type: 'KeepCommitment', commitmentId: kept, evidence: 'Conduite réparée le 18 janvier, eau rétablie.' }, official);
    const escalated = await this.dialogue.escalate(
      DIALOGUE.escalate,
      threadId,
      {
        petitionId: newId(),
        title: 'Eau potable à Hay Al Amal',
        subject: 'Garantir l’eau potable à Hay Al Amal tous les soirs',
        requests: 'Renouveler le réseau du quartier',
        reasons: 'Des coupures répétées depuis des semaines',
      },
      ctx(citizen),
    );
    await this.dialogue.position(
      DIALOGUE.position,
      { type: 'StatePosition', petitionId: escalated.petitionId, stance: 'undecided', reasons: 'Le coût du réseau reste à chiffrer.' },
      ctx(official),
    );
    await this.dialogue.position(
      DIALOGUE.position,
      { type: 'StatePosition', petitionId: escalated.petitionId, stance: 'support', reasons: 'Le réseau sera inscrit au budget 2028.' },
      ctx(official),
    );
    await this.onThread(threadId, { type: 'CloseThread', outcome: 'resolved', reasonCode: 'escalated' }, citizen);
    return { officialId, threadId, petitionId: escalated.petitionId, follower: follower.id };
  }

  agent(id = 'agent-1'): Actor {
    return { id, roles: ['agent'] };
  }

  staff(councilId: string, role: 'clerk' | 'official' = 'clerk'): Actor {
    return { id: `${role}-${councilId}`, roles: [role], councilId };
  }

  async file(councilId: string, title = 'Éclairage public du quartier El Wahda', agent = this.agent()): Promise<string> {
    const council = this.rules.registry.councils.find((c) => c.id === councilId)!;
    const petitionId = newId();
    await this.petitions.run(
      FilePetitionCommand,
      petitionId,
      {
        type: 'FilePetition',
        petitionId,
        council,
        petitionerType: 'citizens',
        title,
        subject: `${title} : demande des habitants au conseil`,
        requests: 'Installer des lampadaires solaires',
        reasons: 'La sécurité des habitants la nuit',
      },
      ctx(agent),
    );
    return petitionId;
  }

  /** Signs `count` times with new signers; returns their identity numbers. */
  async sign(petitionId: string, count: number, provinceId?: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const identityNumber = `AB${String(100000 + this.signerSeq++)}`;
      const citizen: Actor = { id: `citizen-${identityNumber}`, roles: ['citizen'] };
      const signerHash = this.identity.signerHash(petitionId, identityNumber);
      await this.signatures.sign(
        SignPetitionCommand,
        petitionId,
        {
          type: 'SignPetition',
          signatureId: newId(),
          signerHash,
          channel: 'online',
          basis: 'residence',
          meetsElectoralRegistrationConditions: true,
          ...(provinceId ? { provinceId } : {}),
        },
        ctx(citizen),
      );
      ids.push(identityNumber);
    }
    return ids;
  }

  async withdrawSignature(petitionId: string, identityNumber: string): Promise<void> {
    const signerHash = this.identity.signerHash(petitionId, identityNumber);
    const citizen: Actor = { id: `citizen-${identityNumber}`, roles: ['citizen'] };
    const command = { type: 'WithdrawSignature' as const, signerHash, channel: 'online' as const };
    await this.signatures.decideOnSignerStream(WithdrawSignatureCommand, petitionId, signerHash, command, ctx(citizen));
  }

  async submit(petitionId: string, agent = this.agent()): Promise<void> {
    const submission = async () => ({ type: 'SubmitPetition' as const, tally: await this.tallies.tallyOf(petitionId) });
    await this.petitions.run(SubmitPetitionCommand, petitionId, submission, ctx(agent));
  }

  async admissible(petitionId: string, councilId: string): Promise<void> {
    const command = {
      type: 'DeclareAdmissible' as const,
      agendaSession: 'Session ordinaire de mai 2027',
      committee: "Commission de l'urbanisme",
    };
    await this.petitions.run(DecideAdmissibilityCommand.admissible, petitionId, command, ctx(this.staff(councilId)));
  }

  async inadmissible(petitionId: string, councilId: string): Promise<void> {
    const command = {
      type: 'DeclareInadmissible' as const,
      reasonCodes: ['outside_competence'],
      reasonText: "L'objet relève de la compétence de l'État",
    };
    await this.petitions.run(DecideAdmissibilityCommand.inadmissible, petitionId, command, ctx(this.staff(councilId)));
  }

  async respond(petitionId: string, councilId: string, decision: 'adopted' | 'partially_adopted' | 'rejected' = 'adopted'): Promise<void> {
    await this.petitions.run(
      RecordResponseCommand,
      petitionId,
      {
        type: 'RecordOfficialResponse',
        decision,
        text: 'Le conseil a voté le budget des lampadaires',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
      },
      ctx(this.staff(councilId, 'official')),
    );
  }

  async missDeadline(petitionId: string): Promise<void> {
    const watch = ctx(systemActor('deadline-watch'));
    await this.petitions.run(MarkResponseDeadlineMissed, petitionId, { type: 'MarkResponseDeadlineMissed' }, watch);
  }

  async withdraw(petitionId: string, agent = this.agent()): Promise<void> {
    const command = { type: 'WithdrawPetition' as const, reason: 'Accord trouvé avec la commune' };
    await this.petitions.run(WithdrawPetitionCommand, petitionId, command, ctx(agent));
  }

  async close(petitionId: string, councilId: string): Promise<void> {
    await this.petitions.run(ClosePetitionCommand, petitionId, { type: 'ClosePetition' }, ctx(this.staff(councilId)));
  }
}
