import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SIGNATORY_LIST_FORMATS, type SignatoryListFormat } from '../../domain/vault/vault.events';

export class DownloadSignatoryListQuery {
  @ApiPropertyOptional({ enum: SIGNATORY_LIST_FORMATS, default: 'html', description: 'html: the page to print (decree layout); csv: one line per signatory' })
  @IsOptional()
  @IsIn(SIGNATORY_LIST_FORMATS)
  format?: SignatoryListFormat;
}
