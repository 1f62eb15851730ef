import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { FilePetitionCommand } from './file-petition.command';
import { FilePetitionDto, FilePetitionResponse } from './file-petition.dto';

@ApiTags('petitions')
@Controller('petitions')
export class FilePetitionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(FilePetitionCommand, {
    rateLimit: 'filing',
    path: '',
    status: 201,
    summary: 'File a petition',
    description:
      "A citizens' petition is filed by its agent (role agent or citizen), an association's by its legal representative (association_rep) with the association's declared conditions, its number of members (a province requires more than 100: 112-14 art. 115) and the documents attached. Signature collection opens at once.",
    response: FilePetitionResponse,
  })
  async file(@Body() body: FilePetitionDto, @Ctx() metadata: CommandMetadata): Promise<FilePetitionResponse> {
    const command = new FilePetitionCommand({
      councilId: body.councilId,
      petitionerType: body.petitionerType,
      association: body.association && { ...body.association, documents: { ...body.association.documents } },
      identityCardCopies: body.identityCardCopies,
      title: body.title,
      subject: body.subject,
      requests: body.requests,
      reasons: body.reasons,
      metadata,
    });
    const outcome = await this.commands.execute<FilePetitionCommand, CommandOutcome>(command);
    return { id: outcome.petitionId, position: outcome.position!, status: outcome.status! };
  }
}
