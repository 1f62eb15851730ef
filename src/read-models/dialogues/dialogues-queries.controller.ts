import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, Clock } from '../../application/clock';
import { recordedEventJson } from '../../application/recorded-event-json';
import { threadStreamId } from '../../domain/dialogue/dialogue.events';
import { normaliseForSearch } from '../../domain/dialogue/text-rules';
import { DomainError } from '../../domain/shared/domain-error';
import { verifyLinks } from '../../domain/shared/event-chain';
import { Public, Roles } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../../infrastructure/event-store/event-store.port';
import { ApiAuthErrors, ApiQueryErrors, ProblemDocument } from '../../infrastructure/http/openapi';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import type { Filter } from '../../infrastructure/read-store/read-store.port';
import { DIALOGUE_RULES, DialogueRules } from '../../infrastructure/rulebook/dialogue-rules.port';
import { MODERATION, ModerationDoc, THREAD_HISTORY, ThreadDoc, ThreadHistoryDoc, THREADS } from '../../projections/dialogue.projection';
import { Lang, LANGS } from '../../projections/history-texts';
import { checkCursor, minPositionOf, PageQuery, setFreshness } from '../shared/query-params';
import { ThreadCategories, ThreadEvents, ThreadHistoryPage, ThreadModeration, ThreadPage, ThreadView } from '../shared/dialogue-responses';
import { ReadModels } from '../shared/read-models.service';

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ListThreadsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'commune-sefrou' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,100}$/)
  council?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Threads addressed to this official' })
  @IsOptional()
  @Matches(UUID, { message: 'official must be a UUID' })
  official?: string;

  @ApiPropertyOptional({ example: 'lighting' })
  @IsOptional()
  @Matches(/^[a-z_]{1,40}$/)
  category?: string;

  @ApiPropertyOptional({ enum: ['open', 'resolved', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'resolved', 'closed'])
  status?: string;

  @ApiPropertyOptional({ description: 'Words, in Arabic or French as people type them (hamza, tashkeel, accents do not matter)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ThreadHistoryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LANGS, default: 'ar' })
  @IsOptional()
  @IsIn(LANGS)
  lang?: Lang;
}

const notFound = (caughtUp = true) =>
  new DomainError('THREAD_NOT_FOUND', caughtUp ? 'No such thread' : 'No such thread yet: the read model has not reached the requested position', 'not_found');

/** A thread as the public sees it: display names and offices, never accounts, followers or hidden words. */
export function threadView(doc: ThreadDoc, now: Date) {
  const { _id, _position: _p, followers: _f, searchText: _s, ...rest } = doc;
  const daysWaitingForOfficial = doc.awaitingOfficialSince ? Math.floor((now.getTime() - Date.parse(doc.awaitingOfficialSince)) / DAY_MS) : 0;
  return { id: _id, ...rest, daysWaitingForOfficial };
}

const threadSummary = (doc: ThreadDoc, now: Date) => {
  const { messages, commitments, ...view } = threadView(doc, now);
  return {
    ...view,
    messageCount: messages.length,
    commitments: {
      open: commitments.filter((c) => c.status === 'open').length,
      kept: commitments.filter((c) => c.status === 'kept').length,
      missed: commitments.filter((c) => c.status === 'missed').length,
    },
  };
};

/** The dialogue's read side: threads by council, official, category and words; history; audit. */
@ApiTags('dialogues')
@Controller('dialogues')
export class DialoguesQueriesController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DIALOGUE_RULES) private readonly rules: DialogueRules,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'List and search threads',
    description:
      'By council, official, category, status and words; the most recently active first. Each with its status, last activity and the days it has waited for an official.',
  })
  @ApiOkResponse({ type: ThreadPage })
  @ApiQueryErrors()
  async list(@Query() query: ListThreadsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const words = query.q ? normaliseForSearch(query.q).trim() : '';
    const filter: Filter = {
      ...(query.council ? { councilId: query.council } : {}),
      ...(query.official ? { officialId: query.official.toLowerCase() } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(words ? { $text: words } : {}),
    };
    const page = await this.readModels.store.find<ThreadDoc>(await this.readModels.collection('dialogue', THREADS), filter, {
      sort: { field: 'lastActivityAt', direction: -1 },
      limit: query.limit ?? 20,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const now = this.clock.now();
    return { items: page.items.map((d) => threadSummary(d, now)), nextCursor: page.nextCursor, freshness };
  }

  @Get('categories')
  @Public()
  @ApiOperation({ summary: 'The thread categories, with their labels in Arabic, French and English' })
  @ApiOkResponse({ type: ThreadCategories })
  categories() {
    return { version: this.rules.version, categories: this.rules.categories };
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A thread: messages (hidden ones without their words), council answer, commitments and their status, escalation' })
  @ApiOkResponse({ type: ThreadView })
  @ApiQueryErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'THREAD_NOT_FOUND' })
  async get(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const doc = await this.freshThread(id, request, query.minPosition, reply);
    return threadView(doc, this.clock.now());
  }

  @Get(':id/history')
  @Public()
  @ApiOperation({ summary: "The thread's history in words (ar, fr, en)" })
  @ApiOkResponse({ type: ThreadHistoryPage })
  @ApiQueryErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'THREAD_NOT_FOUND' })
  async history(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: ThreadHistoryQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkCursor(query.cursor);
    await this.freshThread(id, request, query.minPosition, reply);
    const lang = query.lang ?? 'ar';
    const page = await this.readModels.store.find<ThreadHistoryDoc>(
      await this.readModels.collection('dialogue', THREAD_HISTORY),
      { threadId: id },
      {
        sort: { field: 'seq', direction: 1 },
        limit: query.limit ?? 100,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
    );
    return {
      threadId: id,
      lang,
      dir: lang === 'ar' ? 'rtl' : 'ltr',
      entries: page.items.map((e) => ({ type: e.type, occurredAt: e.occurredAt, text: e.text[lang] })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id/moderation')
  @ApiBearerAuth()
  @Roles('auditor', 'admin', 'moderator')
  @ApiOperation({ summary: 'Moderation of a thread: every hidden or restored message, its words, the reason and who acted (auditors, moderators, admins)' })
  @ApiOkResponse({ type: ThreadModeration })
  @ApiQueryErrors()
  @ApiAuthErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'THREAD_NOT_FOUND' })
  async moderation(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.freshThread(id, request, query.minPosition, reply);
    const page = await this.readModels.store.find<ModerationDoc>(await this.readModels.collection('dialogue', MODERATION), { threadId: id }, { limit: 1000 });
    return { threadId: id, messages: page.items.map(({ _id: _i, _position: _p, ...m }) => m) };
  }

  @Get(':id/events')
  @ApiBearerAuth()
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: "The thread's full event history with metadata (auditors, admins)",
    description: 'Every event, hidden messages included, with its actor, role, time, correlation and causation ids, and the verification of its hash chain.',
  })
  @ApiOkResponse({ type: ThreadEvents })
  @ApiQueryErrors()
  @ApiAuthErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'THREAD_NOT_FOUND' })
  async events(@Param('id', uuidParam('id')) id: string) {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(threadStreamId(id));
    } catch (e) {
      if (e instanceof StreamNotFoundError) throw notFound();
      throw e;
    }
    return {
      threadId: id,
      integrity: verifyLinks(events),
      events: events.map(recordedEventJson),
    };
  }

  /** The thread, once the dialogue read model has reached the caller's position (said in the reply); 404 when there is none. */
  private async freshThread(id: string, request: FastifyRequest, minPosition: string | undefined, reply: FastifyReply): Promise<ThreadDoc> {
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, minPosition));
    setFreshness(reply, freshness);
    const thread = await this.readModels.store.get<ThreadDoc>(await this.readModels.collection('dialogue', THREADS), id);
    if (!thread) throw notFound(freshness.caughtUp);
    return thread;
  }
}
