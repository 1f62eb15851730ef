/** The dialogue's taxonomy (rulebook/dialogue.json): thread categories with their labels. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RulebookError } from '../../domain/rules/rulebook';
import type { DialogueRules } from './dialogue-rules.port';

/** Next to rulebook.json (RULEBOOK_DIR, else the first rulebook/ folder above this file). */
export function loadDialogueRules(dir?: string): DialogueRules {
  let root = dir ?? process.env.RULEBOOK_DIR;
  if (!root) {
    for (let current = __dirname; ; current = path.dirname(current)) {
      if (fs.existsSync(path.join(current, 'rulebook', 'dialogue.json'))) {
        root = path.join(current, 'rulebook');
        break;
      }
      if (path.dirname(current) === current) throw new RulebookError(`No rulebook/dialogue.json found above ${__dirname}`);
    }
  }
  const data = JSON.parse(fs.readFileSync(path.join(root, 'dialogue.json'), 'utf8')) as DialogueRules;
  const ok =
    typeof data.version === 'string' &&
    Array.isArray(data.categories) &&
    data.categories.every(
      (c) => typeof c.code === 'string' && ['ar', 'fr', 'en'].every((l) => typeof (c.labels as unknown as Record<string, unknown>)?.[l] === 'string'),
    );
  if (!ok) throw new RulebookError('rulebook/dialogue.json: expected { version, categories: [{ code, labels: { ar, fr, en } }] }');
  return data;
}
