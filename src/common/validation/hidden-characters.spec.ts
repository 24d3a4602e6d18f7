import { codePointName, hiddenCharacterInIdentifier, hiddenCharacterInName } from './hidden-characters.js';
import { HIDDEN_CHARACTERS } from './testing/hidden-character-samples.js';

describe('hidden characters', () => {
  it.each(HIDDEN_CHARACTERS)('finds a %s in an identifier and in a name', (_, character) => {
    expect(hiddenCharacterInIdentifier(`al${character}ice@example.com`)).toBe(character);
    expect(hiddenCharacterInName(`Al${character}ice`)).toBe(character);
  });

  it('finds a space other than U+0020 inside an identifier, but accepts it in a name', () => {
    expect(hiddenCharacterInIdentifier('al\u00A0ice@example.com')).toBe('\u00A0');
    expect(hiddenCharacterInIdentifier('al\u3000ice@example.com')).toBe('\u3000');
    expect(hiddenCharacterInName('Abdul\u00A0Karim')).toBeUndefined();
  });

  it('accepts what people write', () => {
    for (const text of ['alice@example.com', 'ñandú@exämple.com', 'रमेश@उदाहरण.भारत']) expect(hiddenCharacterInIdentifier(text)).toBeUndefined();
    for (const name of ["O'Brien-Smith", 'José María', 'Ølberg', '张伟', 'رحیم', 'রহিম', 'Дмитрий', 'Zoë 🙂']) {
      expect(hiddenCharacterInName(name)).toBeUndefined();
    }
  });

  it('accepts ZWJ and ZWNJ between letters of a script that spells with them, never next to Latin, Greek or Cyrillic', () => {
    expect(hiddenCharacterInName('র\u200D্যাব')).toBeUndefined(); // Bengali ra-phala
    expect(hiddenCharacterInName('می\u200Cخواهم')).toBeUndefined(); // Persian half-space
    expect(hiddenCharacterInName('क्\u200Dष')).toBeUndefined(); // Devanagari
    expect(hiddenCharacterInName('A\u200Dli')).toBe('\u200D');
    expect(hiddenCharacterInName('Дми\u200Cтрий')).toBe('\u200C');
    expect(hiddenCharacterInName('রহিম\u200C')).toBe('\u200C');
    expect(hiddenCharacterInName('\u200Dরহিম')).toBe('\u200D');
    expect(hiddenCharacterInName('রহি\u200Dm')).toBe('\u200D');
    // In an email, never: the domain and the mailbox are compared character by character.
    expect(hiddenCharacterInIdentifier('র\u200D্যাব@example.com')).toBe('\u200D');
  });

  it('names a character by its code point', () => {
    expect(codePointName('\u200B')).toBe('U+200B');
    expect(codePointName('\u00AD')).toBe('U+00AD');
    expect(codePointName('\u{E0041}')).toBe('U+E0041');
  });
});
