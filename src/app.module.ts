/**
 * The service's composition. Ports are bound here by token to the stores `openStores` opened;
 * nothing else knows SQLite, EventStoreDB or MongoDB.
 *
 * Roles: `all` (npm start: API, projector and deadline watch in one process, on the embedded
 * store by default), `api` (stateless, any number of instances), `projector` (projections and
 * the deadline watch; health endpoints only).
 */
import { DynamicModule, Inject, Module, OnApplicationShutdown, Type, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitGuard, rateLimitOptions } from './infrastructure/rate-limit/rate-limit.guard';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { DevTokenController, devLoginEnabled } from './infrastructure/auth/dev-token.controller';
import { CLOCK, Clock, systemClock } from './application/clock';
import { EventSourcing } from './application/event-sourcing.service';
import { PetitionCommands } from './application/petition-commands.service';
import { SignatureTallyService } from './application/signature-tally.service';
import { SignaturesService } from './application/signatures.service';
import { SignerIdentity } from './application/signer-identity.service';
import { AuditLog } from './application/audit-log.service';
import { PetitionTimeTravel } from './application/petition-time-travel.service';
import { SignAuditCheckpointController } from './commands/sign-audit-checkpoint/sign-audit-checkpoint.controller';
import { SignAuditCheckpointHandler } from './commands/sign-audit-checkpoint/sign-audit-checkpoint.handler';
import { MERKLE_STORE } from './infrastructure/merkle/merkle-store.port';
import { AuditCheckpoints } from './processes/audit-checkpoints/audit-checkpoints.service';
import { AuditLogController } from './read-models/audit/audit-log.controller';
import { ClosePetitionController } from './commands/close-petition/close-petition.controller';
import { ClosePetitionHandler } from './commands/close-petition/close-petition.handler';
import { DecideAdmissibilityController } from './commands/decide-admissibility/decide-admissibility.controller';
import { DecideAdmissibilityHandler } from './commands/decide-admissibility/decide-admissibility.handler';
import { FilePetitionController } from './commands/file-petition/file-petition.controller';
import { FilePetitionHandler } from './commands/file-petition/file-petition.handler';
import { RecordResponseController } from './commands/record-response/record-response.controller';
import { RecordResponseHandler } from './commands/record-response/record-response.handler';
import { SignPetitionController } from './commands/sign-petition/sign-petition.controller';
import { SignPetitionHandler } from './commands/sign-petition/sign-petition.handler';
import { SubmitPetitionController } from './commands/submit-petition/submit-petition.controller';
import { SubmitPetitionHandler } from './commands/submit-petition/submit-petition.handler';
import { WithdrawPetitionController } from './commands/withdraw-petition/withdraw-petition.controller';
import { WithdrawPetitionHandler } from './commands/withdraw-petition/withdraw-petition.handler';
import { WithdrawSignatureController } from './commands/withdraw-signature/withdraw-signature.controller';
import { WithdrawSignatureHandler } from './commands/withdraw-signature/withdraw-signature.handler';
import { AuthGuard, JWT_VERIFIER } from './infrastructure/auth/auth.guard';
import { JwtVerifier } from './infrastructure/auth/jwt-verifier';
import { EVENT_STORE } from './infrastructure/event-store/event-store.port';
import { IdempotencyInterceptor } from './infrastructure/http/idempotency.interceptor';
import { flattenValidationErrors, ProblemDetailsFilter, RequestValidationError } from './infrastructure/http/problem-details';
import { IDEMPOTENCY_STORE } from './infrastructure/idempotency/idempotency.port';
import { READ_STORE } from './infrastructure/read-store/read-store.port';
import { RULEBOOK } from './infrastructure/rulebook/rulebook.loader';
import type { RulesInForce } from './domain/rules/rulebook';
import type { Stores } from './infrastructure/stores';
import { PROCESS_ROLE, STORES, type ProcessRole } from './app.tokens';
import { DeadlineWatch } from './processes/deadline-watch/deadline-watch.service';
import { allProjections, PROJECTIONS } from './projections';
import { ProjectorService } from './projections/projector.service';
import { PetitionEventsController } from './read-models/audit/petition-events.controller';
import { CouncilsController } from './read-models/councils/councils.controller';
import { CouncilDashboardController } from './read-models/dashboards/council-dashboard.controller';
import { ExportsController } from './read-models/exports/exports.controller';
import { HealthController } from './read-models/health/health.controller';
import { PetitionsQueriesController } from './read-models/petitions/petitions-queries.controller';
import { ProjectionsStatusController } from './read-models/projections-status/projections-status.controller';
import { ReceiptsController } from './read-models/receipts/receipts.controller';
import { ReadModels } from './read-models/shared/read-models.service';
import { InvalidateSignaturesController } from './commands/invalidate-signatures/invalidate-signatures.controller';
import { InvalidateSignaturesHandler } from './commands/invalidate-signatures/invalidate-signatures.handler';
import { ReinstateSignaturesController } from './commands/reinstate-signatures/reinstate-signatures.controller';
import { ReinstateSignaturesHandler } from './commands/reinstate-signatures/reinstate-signatures.handler';
import { SignatureChecks } from './application/signature-checks.service';
import { SIGNATURE_CANDIDATES } from './application/signature-candidates.port';
import { ReadModelSignatureCandidates } from './read-models/signatures/signature-candidates';
import { SignatoryVault } from './application/signatory-vault.service';
import { DownloadSignatoryListController } from './commands/download-signatory-list/download-signatory-list.controller';
import { DownloadSignatoryListHandler } from './commands/download-signatory-list/download-signatory-list.handler';
import { EraseSignatoryDataController } from './commands/erase-signatory-data/erase-signatory-data.controller';
import { EraseSignatoryDataHandler } from './commands/erase-signatory-data/erase-signatory-data.handler';
import { KEY_STORE } from './infrastructure/vault/key-store.port';
import { SignatoryDataRetention } from './processes/signatory-data-retention/signatory-data-retention.service';
import { RegisterOfficialController } from './commands/register-official/register-official.controller';
import { RegisterOfficialHandler } from './commands/register-official/register-official.handler';
import { OpenThreadController } from './commands/open-thread/open-thread.controller';
import { OpenThreadHandler } from './commands/open-thread/open-thread.handler';
import { PostMessageController } from './commands/post-message/post-message.controller';
import { PostMessageHandler } from './commands/post-message/post-message.handler';
import { MarkCouncilAnswerController } from './commands/mark-council-answer/mark-council-answer.controller';
import { MarkCouncilAnswerHandler } from './commands/mark-council-answer/mark-council-answer.handler';
import { MakeCommitmentController } from './commands/make-commitment/make-commitment.controller';
import { MakeCommitmentHandler } from './commands/make-commitment/make-commitment.handler';
import { KeepCommitmentController } from './commands/keep-commitment/keep-commitment.controller';
import { KeepCommitmentHandler } from './commands/keep-commitment/keep-commitment.handler';
import { HideMessageController } from './commands/hide-message/hide-message.controller';
import { HideMessageHandler } from './commands/hide-message/hide-message.handler';
import { RestoreMessageController } from './commands/restore-message/restore-message.controller';
import { RestoreMessageHandler } from './commands/restore-message/restore-message.handler';
import { CloseThreadController } from './commands/close-thread/close-thread.controller';
import { CloseThreadHandler } from './commands/close-thread/close-thread.handler';
import { EscalateThreadController } from './commands/escalate-thread/escalate-thread.controller';
import { EscalateThreadHandler } from './commands/escalate-thread/escalate-thread.handler';
import { StatePositionController } from './commands/state-position/state-position.controller';
import { StatePositionHandler } from './commands/state-position/state-position.handler';
import { FollowController } from './commands/follow/follow.controller';
import { FollowHandler } from './commands/follow/follow.handler';
import { UnfollowController } from './commands/unfollow/unfollow.controller';
import { UnfollowHandler } from './commands/unfollow/unfollow.handler';
import { EndOfficialTermController } from './commands/end-official-term/end-official-term.controller';
import { EndOfficialTermHandler } from './commands/end-official-term/end-official-term.handler';
import { DialogueCommands } from './application/dialogue-commands.service';
import { CommitmentWatch } from './processes/commitment-watch/commitment-watch.service';
import { DialoguesQueriesController } from './read-models/dialogues/dialogues-queries.controller';
import { OfficialsQueriesController } from './read-models/officials/officials-queries.controller';
import { FollowsQueriesController } from './read-models/follows/follows-queries.controller';
import { DIALOGUE_RULES } from './infrastructure/rulebook/dialogue-rules.port';
import { loadDialogueRules } from './infrastructure/rulebook/dialogue-rules.loader';
import { TALLY_SNAPSHOT_STORE } from './infrastructure/tally-snapshot/tally-snapshot-store.port';

export { PROCESS_ROLE, STORES, type ProcessRole } from './app.tokens';

export interface AppModuleOptions {
  config: AppConfig;
  stores: Stores;
  rules: RulesInForce;
  role?: ProcessRole;
  /** Tests pass a controllable clock. */
  clock?: Clock;
}

const API_CONTROLLERS: Type[] = [
  FilePetitionController,
  SignPetitionController,
  WithdrawSignatureController,
  SubmitPetitionController,
  DecideAdmissibilityController,
  RecordResponseController,
  WithdrawPetitionController,
  ClosePetitionController,
  PetitionsQueriesController,
  PetitionEventsController,
  CouncilsController,
  CouncilDashboardController,
  ExportsController,
  ReceiptsController,
  InvalidateSignaturesController,
  ReinstateSignaturesController,
  DownloadSignatoryListController,
  EraseSignatoryDataController,
  AuditLogController,
  SignAuditCheckpointController,
  RegisterOfficialController,
  OpenThreadController,
  PostMessageController,
  MarkCouncilAnswerController,
  MakeCommitmentController,
  KeepCommitmentController,
  HideMessageController,
  RestoreMessageController,
  CloseThreadController,
  EscalateThreadController,
  StatePositionController,
  FollowController,
  UnfollowController,
  EndOfficialTermController,
  DialoguesQueriesController,
  OfficialsQueriesController,
  FollowsQueriesController,
];
const COMMAND_HANDLERS: Type[] = [
  FilePetitionHandler,
  SignPetitionHandler,
  WithdrawSignatureHandler,
  SubmitPetitionHandler,
  DecideAdmissibilityHandler,
  RecordResponseHandler,
  WithdrawPetitionHandler,
  ClosePetitionHandler,
  InvalidateSignaturesHandler,
  ReinstateSignaturesHandler,
  DownloadSignatoryListHandler,
  EraseSignatoryDataHandler,
  SignAuditCheckpointHandler,
  RegisterOfficialHandler,
  OpenThreadHandler,
  PostMessageHandler,
  MarkCouncilAnswerHandler,
  MakeCommitmentHandler,
  KeepCommitmentHandler,
  HideMessageHandler,
  RestoreMessageHandler,
  CloseThreadHandler,
  EscalateThreadHandler,
  StatePositionHandler,
  FollowHandler,
  UnfollowHandler,
  EndOfficialTermHandler,
];

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** Nest calls a module's own hook after its providers': the projector and deadline watch have stopped. */
  async onApplicationShutdown(): Promise<void> {
    await this.stores.close();
  }

  static forRoot(options: AppModuleOptions): DynamicModule {
    const role = options.role ?? 'all';
    const serves = role !== 'projector';
    const projects = role !== 'api';
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), ThrottlerModule.forRoot(rateLimitOptions(options.config, options.stores.throttlerStorage))],
      controllers: [
        ...(serves ? API_CONTROLLERS : []),
        HealthController,
        ProjectionsStatusController,
        ...(serves && devLoginEnabled(options.config) ? [DevTokenController] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: PROCESS_ROLE, useValue: role },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: RULEBOOK, useValue: options.rules },
        { provide: STORES, useValue: options.stores },
        { provide: EVENT_STORE, useValue: options.stores.eventStore },
        { provide: READ_STORE, useValue: options.stores.readStore },
        { provide: IDEMPOTENCY_STORE, useValue: options.stores.idempotencyStore },
        { provide: MERKLE_STORE, useValue: options.stores.merkleStore },
        { provide: TALLY_SNAPSHOT_STORE, useValue: options.stores.tallySnapshotStore },
        { provide: PROJECTIONS, useValue: allProjections(options.rules) },
        { provide: JWT_VERIFIER, useFactory: (config: AppConfig) => new JwtVerifier(config.jwt), inject: [APP_CONFIG] },
        EventSourcing,
        PetitionCommands,
        SignatureTallyService,
        SignerIdentity,
        SignaturesService,
        ReadModels,
        AuditLog,
        PetitionTimeTravel,
        { provide: DIALOGUE_RULES, useValue: loadDialogueRules() },
        DialogueCommands,
        ...(serves ? COMMAND_HANDLERS : []),
        ...(serves ? [SignatureChecks, { provide: SIGNATURE_CANDIDATES, useClass: ReadModelSignatureCandidates }] : []),
        // The deadline watch is exactly-once anyway; it runs beside the projector so one instance does the work.
        ...(projects ? [ProjectorService, DeadlineWatch, AuditCheckpoints, CommitmentWatch] : []),
        ...(projects ? [SignatoryDataRetention] : []),
        { provide: KEY_STORE, useValue: options.stores.keyStore },
        SignatoryVault,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            forbidUnknownValues: true,
            transform: true,
            exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
          }),
        },
      ],
    };
  }
}
