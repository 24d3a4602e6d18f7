import { parse, ParseErrorCode, type ParseError } from 'jsonc-parser';
import { DomainError } from '../errors/domain-error.js';

/** What each of jsonc-parser's findings means to someone fixing their request. */
const PROBLEMS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ColonExpected]: "expected ':' after the property name",
  [ParseErrorCode.CommaExpected]: "expected ',' between two values",
  [ParseErrorCode.CloseBraceExpected]: "expected ',' or '}'",
  [ParseErrorCode.CloseBracketExpected]: "expected ',' or ']'",
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number is incomplete',
  [ParseErrorCode.InvalidNumberFormat]: 'a number is malformed',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed',
  [ParseErrorCode.InvalidUnicode]: 'a string holds a \\u escape without four hexadecimal digits',
  [ParseErrorCode.InvalidEscapeCharacter]: 'a string holds an invalid backslash escape',
  [ParseErrorCode.InvalidCharacter]: 'a string holds a control character, which must be escaped (\\n, \\t, ...)',
};

/** Errors found in a whole string token, which the parser reports at the string's start. */
const IN_A_STRING = new Set([ParseErrorCode.UnexpectedEndOfString, ParseErrorCode.InvalidUnicode, ParseErrorCode.InvalidEscapeCharacter, ParseErrorCode.InvalidCharacter]);

/**
 * Says what is wrong with a body JSON.parse refused, and where: `details.position` (0-based, in characters)
 * and `details.line` / `details.column` (1-based). JSON.parse's own messages differ between Node versions,
 * some carry no position and some quote the body back, so the body is read again, only on this failure
 * path, by jsonc-parser in strict JSON mode.
 */
export function describeJsonSyntaxError(text: string): DomainError {
  // secure-json-parse skips a leading byte order mark; positions still count it, as the client sent it.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const errors: ParseError[] = [];
  parse(text.slice(bom), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (!errors.length) return new DomainError('VALIDATION_FAILED', 'The request body is not valid JSON');
  const [first, second] = errors.map((error) => ({ ...error, offset: error.offset + bom }));
  const { line, column } = lineAndColumn(text, first.offset);
  const where = `${IN_A_STRING.has(first.error) ? 'in the string that starts ' : ''}at line ${line}, column ${column}`;
  const end = first.offset >= text.length ? ' (the end of the body)' : '';
  return new DomainError('VALIDATION_FAILED', `The request body is not valid JSON: ${problem(text, first, second)} ${where}${end}`, {
    position: first.offset,
    line,
    column,
  });
}

function problem(text: string, { error, offset, length }: ParseError, next?: ParseError): string {
  const at = text[offset];
  if (error === ParseErrorCode.PropertyNameExpected && at === '}') return "expected a property name after ',' (JSON allows no trailing comma)";
  if (error === ParseErrorCode.ValueExpected && at === ']') return "expected a value after ',' (JSON allows no trailing comma)";
  if (error !== ParseErrorCode.InvalidSymbol) return PROBLEMS[error] ?? 'unexpected input';
  // Something that is not JSON where a name or a value belongs: the parser's next finding says which.
  const found = token(text.slice(offset, offset + Math.max(1, length)));
  if (next?.error === ParseErrorCode.PropertyNameExpected) return `expected a property name in double quotes, found ${found}`;
  if (next?.error === ParseErrorCode.ValueExpected) return `expected a value, found ${found}`;
  return `unexpected ${found}`;
}

/** The offending text, quoted when it is short and printable, else its first character's code point. */
function token(text: string): string {
  if (/^[\x21-\x7e]{1,20}$/.test(text)) return `"${text}"`;
  return `character U+${text.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
