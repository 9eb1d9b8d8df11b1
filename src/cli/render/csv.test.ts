import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('csv (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes nulls as empty fields, numbers and booleans as text', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField(false)).toBe('false');
  });

  it('writes a header and one CRLF-terminated line per row', () => {
    expect(
      toCsv(
        ['id', 'note'],
        [
          [1, 'x'],
          [2, 'a, "b"'],
        ],
      ),
    ).toBe('id,note\r\n1,x\r\n2,"a, ""b"""\r\n');
  });
});
