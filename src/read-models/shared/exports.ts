/**
 * Sending an export: CSV (UTF-8 with a BOM, for spreadsheets; one record per row, the columns in
 * order) or JSON (the same columns, null where a value is missing). Every open-data export goes
 * through here, so all speak the same CSV.
 */
import type { FastifyReply } from 'fastify';
import { csvLine } from '../../domain/shared/csv';
import { DomainError } from '../../domain/shared/domain-error';

/** 404 EXPORT_FORMAT_UNKNOWN unless csv or json. */
export function checkExportFormat(format: string): void {
  if (format !== 'csv' && format !== 'json') throw new DomainError('EXPORT_FORMAT_UNKNOWN', 'Exports are .csv or .json', 'not_found');
}

export function sendExport<C extends string>(reply: FastifyReply, format: string, name: string, columns: readonly C[], rows: Record<C, unknown>[]) {
  if (format === 'json') {
    return reply.header('content-type', 'application/json; charset=utf-8').send(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))));
  }
  const body = '\uFEFF' + csvLine([...columns]) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);
}
