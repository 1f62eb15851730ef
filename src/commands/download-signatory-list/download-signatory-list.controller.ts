import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../../application/command-metadata';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ProblemDocument } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { DownloadSignatoryListCommand, SignatoryListDocument } from './download-signatory-list.command';
import { DownloadSignatoryListQuery } from './download-signatory-list.dto';

@ApiTags('signatory data')
@ApiBearerAuth()
@Controller('petitions')
export class DownloadSignatoryListController {
  constructor(private readonly commands: CommandBus) {}

  @Get(':id/signatories')
  @Roles(...DownloadSignatoryListCommand.roles)
  @RateLimited('exports')
  @ApiOperation({
    summary: 'Download the signatory list (names, identity numbers, addresses)',
    description:
      'For the petition’s agent (to attach to the filing) and the clerks of its council (to verify the signatures); nobody else, never public. Every download is recorded as a SignatoryListDownloaded event (who, when, how many lines). html: a page to print in the decree’s layout, council, filing date and subject at the top of every page; csv: one line per signatory. Erased particulars show as erased.',
  })
  @ApiProduces('text/html', 'text/csv')
  @ApiOkResponse({ description: 'The list; header X-Position: the position of the download event', schema: { type: 'string' } })
  @ApiForbiddenResponse({
    type: ProblemDocument,
    description: 'ROLE_NOT_ALLOWED, NOT_COUNCIL_STAFF (a clerk of another council), SIGNATORY_LIST_NOT_ALLOWED (application/problem+json)',
  })
  @ApiCommandErrors()
  async download(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: DownloadSignatoryListQuery,
    @Ctx() metadata: CommandMetadata,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const command = new DownloadSignatoryListCommand({ petitionId: id, format: query.format ?? 'html', metadata });
    const doc = await this.commands.execute<DownloadSignatoryListCommand, SignatoryListDocument>(command);
    await reply
      .header('content-type', doc.contentType)
      .header('content-disposition', `${doc.contentType.startsWith('text/csv') ? 'attachment' : 'inline'}; filename="${doc.fileName}"`)
      .header('cache-control', 'no-store, private')
      .header('x-robots-tag', 'noindex')
      .header('x-position', doc.position)
      .send(doc.body);
  }
}
