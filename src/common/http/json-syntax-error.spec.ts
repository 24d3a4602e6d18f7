import { describeJsonSyntaxError } from './json-syntax-error.js';

const PREFIX = 'The request body is not valid JSON: ';

describe('describeJsonSyntaxError', () => {
  it.each([
    ['{"identifier": ', 'expected a value at line 1, column 16 (the end of the body)', 15, 1, 16],
    ['{"identifier": x}', 'expected a value, found "x" at line 1, column 16', 15, 1, 16],
    ['{identifier: "a"}', 'expected a property name in double quotes, found "identifier" at line 1, column 2', 1, 1, 2],
    ["{'a': 1}", `expected a property name in double quotes, found "'a'" at line 1, column 2`, 1, 1, 2],
    ['{"a": 1,}', "expected a property name after ',' (JSON allows no trailing comma) at line 1, column 9", 8, 1, 9],
    ['[1, 2,]', "expected a value after ',' (JSON allows no trailing comma) at line 1, column 7", 6, 1, 7],
    ['{"a" 1}', "expected ':' after the property name at line 1, column 6", 5, 1, 6],
    ['{\n  "a": [1 2]\n}', "expected ',' between two values at line 2, column 11", 12, 2, 11],
    ['{\r\n  "a": 1\r\n  "b": 2\r\n}', "expected ',' between two values at line 3, column 3", 15, 3, 3],
    ['{"a": 1', "expected ',' or '}' at line 1, column 8 (the end of the body)", 7, 1, 8],
    ['{"a": 1}}', 'unexpected text after the JSON value at line 1, column 9', 8, 1, 9],
    ['{"a": 1} x', 'unexpected "x" at line 1, column 10', 9, 1, 10],
    ['{"a": "b\tc"}', 'a string holds a control character, which must be escaped (\\n, \\t, ...) in the string that starts at line 1, column 7', 6, 1, 7],
    ['{"a": "\\q"}', 'a string holds an invalid backslash escape in the string that starts at line 1, column 7', 6, 1, 7],
    ['{"a": "abc', 'a string is not closed in the string that starts at line 1, column 7', 6, 1, 7],
    ['{"a": 1.}', 'a number is incomplete at line 1, column 7', 6, 1, 7],
    ['/* note */ {}', 'comments are not allowed in JSON at line 1, column 1', 0, 1, 1],
    ['\ufeff{"a" 1}', "expected ':' after the property name at line 1, column 7", 6, 1, 7],
    ['{"a": \u00a0}', 'expected a value, found character U+00A0 at line 1, column 7', 6, 1, 7],
    ['   ', 'expected a value at line 1, column 4 (the end of the body)', 3, 1, 4],
  ])('%j: %s', (body, problem, position, line, column) => {
    const error = describeJsonSyntaxError(body);
    expect(() => JSON.parse(body)).toThrow(SyntaxError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: PREFIX + problem, details: { position, line, column } });
  });
});
