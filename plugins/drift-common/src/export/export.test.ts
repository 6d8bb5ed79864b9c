import { toCsv } from './csv';
import { escapeMarkdown } from './markdown';

describe('toCsv', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tcmd', '\rcmd'])(
    'keeps %j text for spreadsheets',
    text => {
      expect(toCsv(['value'], [[text]])).toBe(`value\n"'${text}"\n`);
    },
  );

  it('quotes separators and quotes, and leaves numbers alone', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [['x,y', 'say "hi"', -1, null]])).toBe(
      'a,b,c,d\n"x,y","say ""hi""",-1,\n',
    );
  });
});

describe('escapeMarkdown', () => {
  it('leaves no link, HTML, code span or table break', () => {
    expect(escapeMarkdown('[x](https://evil.example) <img src=x> `c` a|b')).toBe(
      '\\[x\\](https://evil.example) \\<img src=x\\> \\`c\\` a\\|b',
    );
  });

  it('keeps one line and escapes its own escape character', () => {
    expect(escapeMarkdown('one\ntwo\r\n| three \\|')).toBe('one two \\| three \\\\\\|');
  });
});
