/** An operator a note may mention: someone who may see the conversation. */
export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

/** A resolved mention, as the note's message representation lists it. */
export interface Mention {
  operatorId: string;
  name: string;
}

/**
 * `@` + a handle: letters of any script (with their combining marks and the zero-width non-joiner
 * Persian names use), digits, and the separators `.` `_` `-` inside. The `@` must not follow a letter,
 * a digit or a handle character, so an e-mail address in the text (`orders@shop.example`) is no mention.
 */
const MENTION = /(?<![\p{L}\p{M}\p{N}_.@\u200c-])@([\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}\u200c_.-]*)/gu;
const SEPARATORS = /[._-]/;

/**
 * Finds the operators a note mentions. A handle is, case-insensitively: the local part of the
 * operator's e-mail (`@dmitry.k`), the full name with its spaces written as `_` or `.`
 * (`@Dmitry_Kuznetsov`), or the first name when exactly one candidate has it (`@Дмитрий`). A handle
 * that fits several candidates mentions nobody (the author is told by the missing mention). A handle
 * followed by more separators and text (`@dmitry.k.` at the end of a sentence, `@anna_smith-ok`) is
 * read as its longest known prefix. Each operator appears once, in the order first mentioned.
 */
export function parseMentions(text: string, candidates: readonly MentionCandidate[]): Mention[] {
  if (!text.includes('@') || candidates.length === 0) return [];
  const handles = new HandleIndex(candidates);
  const found = new Map<string, Mention>();
  for (const match of text.normalize('NFC').matchAll(MENTION)) {
    const candidate = handles.resolve(match[1]);
    if (candidate && !found.has(candidate.id)) found.set(candidate.id, { operatorId: candidate.id, name: candidate.name });
  }
  return [...found.values()];
}

const EXCERPT_LENGTH = 140;

/** the start of a note as the mention's notification shows it: one line, at most 140 characters */
export function mentionExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= EXCERPT_LENGTH ? line : `${chars.slice(0, EXCERPT_LENGTH - 1).join('').trimEnd()}…`;
}

/** handle → candidates, with first names kept apart (they count only when unique) */
class HandleIndex {
  private readonly exact = new Map<string, Set<MentionCandidate>>();
  private readonly firstNames = new Map<string, Set<MentionCandidate>>();

  constructor(candidates: readonly MentionCandidate[]) {
    for (const candidate of candidates) {
      const local = candidate.email.split('@')[0];
      if (local) add(this.exact, fold(local), candidate);
      const words = candidate.name.normalize('NFC').trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      add(this.exact, fold(words.join('_')), candidate);
      add(this.exact, fold(words.join('.')), candidate);
      add(this.firstNames, fold(words[0]), candidate);
    }
  }

  /** the one candidate the token (or its longest known prefix ending before a separator) names */
  resolve(token: string): MentionCandidate | undefined {
    let handle = fold(token);
    for (;;) {
      const exact = this.exact.get(handle);
      if (exact) return exact.size === 1 ? first(exact) : undefined;
      const byFirstName = this.firstNames.get(handle);
      if (byFirstName) return byFirstName.size === 1 ? first(byFirstName) : undefined;
      const cut = lastSeparator(handle);
      if (cut <= 0) return undefined;
      handle = handle.slice(0, cut);
    }
  }
}

function fold(value: string): string {
  return value.normalize('NFC').toLowerCase();
}

function add(index: Map<string, Set<MentionCandidate>>, key: string, candidate: MentionCandidate): void {
  const set = index.get(key) ?? new Set<MentionCandidate>();
  set.add(candidate);
  index.set(key, set);
}

function first(set: Set<MentionCandidate>): MentionCandidate {
  return set.values().next().value as MentionCandidate;
}

function lastSeparator(handle: string): number {
  for (let index = handle.length - 1; index >= 0; index -= 1) if (SEPARATORS.test(handle[index])) return index;
  return -1;
}
