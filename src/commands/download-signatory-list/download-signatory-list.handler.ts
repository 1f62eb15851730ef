import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { signatoryListCsv, signatoryListHtml } from '../../application/signatory-list';
import { SignatoryVault } from '../../application/signatory-vault.service';
import { provincesOf } from '../../domain/rules/rulebook';
import { existing } from '../../domain/petition/petition.decide';
import { signatoryListRight } from '../../domain/vault/vault.decide';
import { DownloadSignatoryListCommand, SignatoryListDocument } from './download-signatory-list.command';

@CommandHandler(DownloadSignatoryListCommand)
export class DownloadSignatoryListHandler implements ICommandHandler<DownloadSignatoryListCommand, SignatoryListDocument> {
  constructor(private readonly vault: SignatoryVault) {}

  async execute(c: DownloadSignatoryListCommand): Promise<SignatoryListDocument> {
    const { petitionId, format, metadata } = c;
    const petitionState = await this.vault.loadPetition(petitionId);
    // Refused before anything is read: a wrong clerk learns nothing, and nothing is recorded.
    signatoryListRight(petitionState, this.vault.context(metadata.actor));
    const petition = existing(petitionState);
    const entries = await this.vault.signatoriesOf(petitionId);
    const rows = (await this.vault.open(petitionId, entries)).map((opened, i) => ({ entry: entries[i], opened }));
    const erasedRows = rows.filter((r) => r.opened.state !== 'readable').length;
    const appended = await this.vault.run(
      DownloadSignatoryListCommand,
      petitionId,
      { type: 'DownloadSignatoryList', format, rows: rows.length, erasedRows },
      metadata,
    );
    const downloadedAt = (appended.events[0].data as { downloadedAt: string }).downloadedAt;
    const fileName = `signatories-${petitionId}.${format}`;
    if (format === 'csv') {
      return { contentType: 'text/csv; charset=utf-8', fileName, body: signatoryListCsv(rows), rows: rows.length, position: appended.position! };
    }
    const registry = this.vault.registry;
    const council = registry.councils.find((x) => x.id === petition.councilId)!;
    const provinces = new Map(provincesOf(registry, council.id).map((p) => [p.id, p]));
    const header = { council, petitionId, title: petition.title, filedAt: petition.filedAt, provinces };
    return {
      contentType: 'text/html; charset=utf-8',
      fileName,
      body: signatoryListHtml(header, rows, downloadedAt),
      rows: rows.length,
      position: appended.position!,
    };
  }
}
