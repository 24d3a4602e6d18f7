/**
 * Characters a reader cannot see, or that change how the text around them is shown: controls (Cc), format
 * characters (Cf: zero-width space, ZWNJ/ZWJ, word joiner, soft hyphen, BOM, the bidi marks, embeddings,
 * overrides and isolates, tag characters), private-use characters and lone surrogates, line and paragraph
 * separators, Unicode's default-ignorable code points (what renders as nothing: Hangul fillers, variation
 * selectors, the combining grapheme joiner, Khmer's and Mongolian's invisible signs) and the braille blank.
 * Text holding one can look exactly like text without it, or like other text (U+202E shows what follows
 * reversed).
 */
const HIDDEN = String.raw`\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800`;
const HIDDEN_IN_TEXT = new RegExp(`[${HIDDEN}]`, 'gu');
/** In an identifier, spaces other than the edges' (which are trimmed) are hidden too: U+00A0 passes for U+0020. */
const HIDDEN_IN_IDENTIFIER = new RegExp(`[${HIDDEN}\\p{Zs}]`, 'u');

const JOINERS = new Set(['\u200C', '\u200D']);
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
/** Scripts that never need a joiner, and whose letters are what a look-alike imitates. */
const NO_JOINER_SCRIPTS = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]/u;

/** `U+200B`: how a refused character is named in an error message. */
export function codePointName(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first hidden character (or space) inside an email identifier, or undefined. */
export function hiddenCharacterInIdentifier(text: string): string | undefined {
  return HIDDEN_IN_IDENTIFIER.exec(text)?.[0];
}

/**
 * The first hidden character in a name, or undefined. ZWNJ and ZWJ are the exception where a script needs
 * them to spell a name (Bengali's ra-phala, Persian's half-space, Devanagari's conjuncts): between two
 * letters or marks of such a script they are accepted; next to Latin, Greek or Cyrillic, or anything else,
 * they are refused like every other hidden character.
 */
export function hiddenCharacterInName(text: string): string | undefined {
  for (const match of text.matchAll(HIDDEN_IN_TEXT)) {
    const character = match[0];
    if (JOINERS.has(character) && joinsLetters([...text.slice(0, match.index)].at(-1), [...text.slice(match.index + 1)][0])) continue;
    return character;
  }
  return undefined;
}

function joinsLetters(before: string | undefined, after: string | undefined): boolean {
  return [before, after].every((c) => c !== undefined && LETTER_OR_MARK.test(c) && !NO_JOINER_SCRIPTS.test(c));
}
