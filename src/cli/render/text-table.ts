// A plain-text table: columns padded to their widest cell, long cells cut with an ellipsis.

export interface Column {
  header: string;
  max?: number;
}

function fit(text: string, max: number | undefined): string {
  if (max === undefined || text.length <= max) return text;
  return text.slice(0, Math.max(1, max - 1)) + '…';
}

export function textTable(columns: Column[], rows: string[][], indent = '  '): string[] {
  const cells = rows.map((r) => r.map((c, i) => fit(c, columns[i]?.max)));
  const widths = columns.map((col, i) =>
    Math.max(col.header.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (r: string[]): string =>
    indent +
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)];
}
