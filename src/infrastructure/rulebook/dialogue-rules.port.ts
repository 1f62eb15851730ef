/** The dialogue's taxonomy as the core sees it: thread categories with their labels (rulebook/dialogue.json). */
import type { Labels } from '../../domain/rules/rulebook';

export const DIALOGUE_RULES = Symbol('DIALOGUE_RULES');

export interface DialogueRules {
  version: string;
  categories: { code: string; labels: Labels }[];
}
