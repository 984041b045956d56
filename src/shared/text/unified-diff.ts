type Edit = { op: ' ' | '-' | '+'; line: string };

/** Line edits turning `a` into `b`, from their longest common subsequence. */
function lineEdits(a: string[], b: string[]): Edit[] {
  // Specs are small (hundreds of lines): a plain LCS table is fast enough and easy to trust.
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff -u writes them.
      edits.push({ op: '-', line: a[i]! });
      i++;
    } else {
      edits.push({ op: '+', line: b[j]! });
      j++;
    }
  }
  return edits;
}

const splitLines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** A unified diff (`--- a`, `+++ b`, `@@` hunks with three lines of context); empty when the texts are equal. */
export function unifiedDiff(before: string, after: string, names = { before: 'current', after: 'target' }): string {
  const edits = lineEdits(splitLines(before), splitLines(after));
  if (edits.every((e) => e.op === ' ')) return '';
  const context = 3;
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  let index = 0;
  while (index < edits.length) {
    if (edits[index]!.op === ' ') {
      index++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change near it.
    const start = Math.max(0, index - context);
    let end = index;
    for (let k = index; k < edits.length; k++) {
      if (edits[k]!.op !== ' ') end = k;
      else if (k - end > 2 * context) break;
    }
    const stop = Math.min(edits.length, end + context + 1);
    const hunk = edits.slice(start, stop);
    const beforeStart = edits.slice(0, start).filter((e) => e.op !== '+').length + 1;
    const afterStart = edits.slice(0, start).filter((e) => e.op !== '-').length + 1;
    const beforeCount = hunk.filter((e) => e.op !== '+').length;
    const afterCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${beforeStart},${beforeCount} +${afterStart},${afterCount} @@`);
    for (const e of hunk) out.push(`${e.op}${e.line}`);
    index = stop;
  }
  return `${out.join('\n')}\n`;
}
