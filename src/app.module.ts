/**
 * The service on the embedded store: one process, one SQLite file under DATA_DIR holding the
 * event log and the idempotency keys. Ports are bound here by token; nothing else knows SQLite.
 */
import { DynamicModule, Inject, Module, OnApplicationShutdown, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ClosePetitionController, ClosePetitionHandler } from './commands/close-petition/close-petition.controller';
import { DeadlineWatch } from './commands/deadline-watch/deadline-watch.service';
import { DecideAdmissibilityController } from './commands/decide-admissibility/decide-admissibility.controller';
import { DecideAdmissibilityHandler } from './commands/decide-admissibility/decide-admissibility.handler';
import { FilePetitionController } from './commands/file-petition/file-petition.controller';
import { FilePetitionHandler } from './commands/file-petition/file-petition.handler';
import { RecordResponseController } from './commands/record-response/record-response.controller';
import { RecordResponseHandler } from './commands/record-response/record-response.handler';
import { CLOCK, Clock, systemClock } from './commands/shared/clock';
import { EventSourcing } from './commands/shared/event-sourcing.service';
import { PetitionCommands } from './commands/shared/petition-commands.service';
import { SignatureTallyService } from './commands/shared/signature-tally.service';
import { SignaturesService } from './commands/shared/signatures.service';
import { SignerIdentity } from './commands/shared/signer-identity.service';
import { SignPetitionController } from './commands/sign-petition/sign-petition.controller';
import { SignPetitionHandler } from './commands/sign-petition/sign-petition.handler';
import { SubmitPetitionController } from './commands/submit-petition/submit-petition.controller';
import { SubmitPetitionHandler } from './commands/submit-petition/submit-petition.handler';
import { WithdrawPetitionController, WithdrawPetitionHandler } from './commands/withdraw-petition/withdraw-petition.controller';
import { WithdrawSignatureController, WithdrawSignatureHandler } from './commands/withdraw-signature/withdraw-signature.controller';
import { AuthGuard, JWT_VERIFIER } from './infrastructure/auth/auth.guard';
import { JwtVerifier } from './infrastructure/auth/jwt-verifier';
import { EVENT_STORE, EventStore } from './infrastructure/event-store/event-store.port';
import { SqliteEventStore } from './infrastructure/event-store/sqlite-event-store';
import { flattenValidationErrors, ProblemDetailsFilter, RequestValidationError } from './infrastructure/http/problem-details';
import { IdempotencyInterceptor } from './infrastructure/http/idempotency.interceptor';
import { IDEMPOTENCY_STORE } from './infrastructure/idempotency/idempotency.port';
import { SqliteIdempotencyStore } from './infrastructure/idempotency/sqlite-idempotency.store';
import { loadRulebook, RULEBOOK } from './infrastructure/rulebook/rulebook.loader';
import { CouncilsController } from './read-models/councils/councils.controller';
import { HealthController } from './read-models/health/health.controller';
import { PetitionQueriesController } from './read-models/petition-details/petition-queries.controller';
import { ReceiptsController } from './read-models/receipts/receipts.controller';

export const SQLITE_DB = Symbol('SQLITE_DB');

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests pass a controllable clock. */
  clock?: Clock;
}

/** Opens the embedded database: WAL, so readers never block the writer; NORMAL sync, durable at checkpoints. */
export function openEmbeddedDatabase(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'petitions.sqlite'));
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

class EmbeddedStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(SQLITE_DB) private readonly db: Database.Database) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.db.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        FilePetitionController,
        SignPetitionController,
        WithdrawSignatureController,
        SubmitPetitionController,
        DecideAdmissibilityController,
        RecordResponseController,
        WithdrawPetitionController,
        ClosePetitionController,
        PetitionQueriesController,
        CouncilsController,
        ReceiptsController,
        HealthController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: RULEBOOK, useFactory: () => loadRulebook() },
        { provide: SQLITE_DB, useFactory: (config: AppConfig) => openEmbeddedDatabase(config.dataDir), inject: [APP_CONFIG] },
        { provide: EVENT_STORE, useFactory: (db: Database.Database) => new SqliteEventStore(db), inject: [SQLITE_DB] },
        { provide: IDEMPOTENCY_STORE, useFactory: (db: Database.Database) => new SqliteIdempotencyStore(db), inject: [SQLITE_DB] },
        { provide: JWT_VERIFIER, useFactory: (config: AppConfig) => new JwtVerifier(config.jwt), inject: [APP_CONFIG] },
        EmbeddedStoreLifecycle,
        EventSourcing,
        PetitionCommands,
        SignatureTallyService,
        SignerIdentity,
        SignaturesService,
        DeadlineWatch,
        FilePetitionHandler,
        SignPetitionHandler,
        WithdrawSignatureHandler,
        SubmitPetitionHandler,
        DecideAdmissibilityHandler,
        RecordResponseHandler,
        WithdrawPetitionHandler,
        ClosePetitionHandler,
        { provide: APP_GUARD, useClass: AuthGuard },
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
