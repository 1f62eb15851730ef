/**
 * SQLite read store: full-text search. Each collection with text fields has a contentless FTS5
 * table (`"doc_<name>:fts"`, unicode61 with diacritics removed) whose rowid is the document's
 * rid and whose columns `t0…` hold the text fields. This file builds and refills that table,
 * computes what it indexes for a document, and turns a `$text` search into a condition.
 */
import type Database from 'better-sqlite3';
import { searchableText, searchWords, valueAtPath } from '../read-store.rules';
import type { Condition } from './filter';

/** A character no collection name holds keeps FTS5's shadow tables (`…_data`) clear of other names. */
export function ftsTable(name: string): string {
  return `"doc_${name}:fts"`;
}

function unquote(identifier: string): string {
  return identifier.slice(1, -1);
}

/** The FTS columns of the text fields: `t0, t1, …`. */
export function ftsColumns(textFields: readonly string[]): string {
  return textFields.map((_, i) => `t${i}`).join(', ');
}

/** An insert of one document's texts (rowid, then one value per text field). */
export function ftsInsertSql(verb: 'INSERT' | 'INSERT OR REPLACE', fts: string, textFields: readonly string[]): string {
  return `${verb} INTO ${fts} (rowid, ${ftsColumns(textFields)}) VALUES (?, ${textFields.map(() => '?').join(', ')})`;
}

/**
 * Inside ensureCollection's transaction: (re)creates the FTS table when the text fields changed
 * (or it is missing or unwanted), then indexes the documents already stored in `table`.
 */
export function syncTextIndex(db: Database.Database, name: string, table: string, textFields: string[], storedTextFields: string | undefined): void {
  const fts = ftsTable(name);
  const ftsExists = db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(unquote(fts)) !== undefined;
  if (storedTextFields === JSON.stringify(textFields) && ftsExists === textFields.length > 0) return;
  db.exec(`DROP TABLE IF EXISTS ${fts}`);
  if (textFields.length === 0) return;
  db.exec(
    `CREATE VIRTUAL TABLE ${fts} USING fts5(${ftsColumns(textFields)}, content = '', contentless_delete = 1,
       tokenize = 'unicode61 remove_diacritics 2')`,
  );
  const insert = db.prepare(ftsInsertSql('INSERT', fts, textFields));
  // Index the documents already stored, a chunk at a time (a connection cannot write while iterating).
  const chunk = db.prepare(`SELECT rid, doc FROM ${table} WHERE rid > ? ORDER BY rid LIMIT 1000`);
  for (let after = -Infinity; ;) {
    const rows = chunk.all(after) as Array<{ rid: number; doc: string }>;
    if (rows.length === 0) break;
    for (const row of rows) insert.run(row.rid, ...textValues(JSON.parse(row.doc), textFields));
    after = rows[rows.length - 1].rid;
  }
}

/** What the FTS table indexes for each text field: strings, and the strings of arrays. */
export function textValues(doc: unknown, fields: readonly string[]): Array<string | null> {
  return fields.map((field) => searchableText(valueAtPath(doc, field)));
}

/** The `textLookup` statement's SQL: rid, position, then JSON type and value of each text field. */
export function textLookupSql(table: string, textFields: readonly string[]): string {
  const columns = textFields.map((field) => `json_type(doc, '$.${field}'), json_extract(doc, '$.${field}')`);
  return `SELECT rid, position, ${columns.join(', ')} FROM ${table} WHERE id = ?`;
}

/** Whether the text fields of a stored row (`textLookup`: rid, position, then type and value per field) are `texts`. */
export function sameTexts(stored: unknown[], texts: Array<string | null>): boolean {
  for (let i = 0; i < texts.length; i++) {
    const type = stored[2 + 2 * i];
    const value = stored[3 + 2 * i];
    let old: string | null = null;
    if (type === 'text') old = value as string;
    else if (type === 'array') old = searchableText(JSON.parse(value as string) as unknown[]);
    if (old !== texts[i]) return false;
  }
  return true;
}

/**
 * A `$text` search as a condition on `rid`: every word must occur as a whole word (no words at
 * all matches nothing). Throws TypeError for a non-string or a collection without text fields.
 */
export function textCondition(collection: { name: string; fts: string | null }, text: unknown): Condition {
  if (typeof text !== 'string') throw new TypeError('$text takes a string');
  if (!collection.fts) throw new TypeError(`Collection ${collection.name} has no text fields to search`);
  const words = searchWords(text);
  if (words.length === 0) return { sql: '0', params: [] };
  // Each word quoted: FTS5 reads it as a phrase of its tokens, never as query syntax.
  return {
    sql: `rid IN (SELECT rowid FROM ${collection.fts} WHERE ${collection.fts} MATCH ?)`,
    params: [words.map((word) => `"${word.replace(/"/g, '""')}"`).join(' ')],
  };
}
