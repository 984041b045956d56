/** One instruction of a Dockerfile: its keyword in lower case and the rest of its (joined) lines. */
export interface DockerfileInstruction {
  keyword: string;
  args: string;
  /** The 1-based line it starts on. */
  line: number;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const COMMENT = /^[ \t]*#/;
const BLANK = /^[ \t]*$/;

/**
 * The instructions of a Dockerfile, read the way Docker's parser reads them:
 * parser directives at the top (`# escape=` changes the escape character),
 * comment lines dropped (also between continued lines), a line ending in the
 * escape character continued on the next, blank lines skipped, keywords in
 * any case.
 */
export function dockerfileInstructions(text: string): DockerfileInstruction[] {
  return parseDockerfile(text).instructions;
}

function parseDockerfile(text: string): { escape: string; instructions: DockerfileInstruction[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let first = 0;
  for (; first < lines.length; first++) {
    const directive = DIRECTIVE.exec(lines[first]!);
    if (!directive) break;
    const value = directive[2]!;
    if (directive[1]!.toLowerCase() === 'escape' && (value === '\\' || value === '`')) escape = value;
  }
  const continued = new RegExp(`${escapeForRegExp(escape)}[ \\t]*$`);
  const instructions: DockerfileInstruction[] = [];
  for (let i = first; i < lines.length; i++) {
    const start = lines[i]!;
    if (COMMENT.test(start) || BLANK.test(start)) continue;
    let joined = start.trimStart();
    let open = continued.test(joined);
    const startLine = i + 1;
    if (open) joined = joined.replace(continued, '');
    while (open && i + 1 < lines.length) {
      const next = lines[++i]!;
      if (COMMENT.test(next) || BLANK.test(next)) continue;
      open = continued.test(next);
      joined += open ? next.replace(continued, '') : next;
    }
    const trimmed = joined.trim();
    if (trimmed === '') continue;
    const space = trimmed.search(/\s/);
    instructions.push({
      keyword: (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase(),
      args: space < 0 ? '' : trimmed.slice(space).trim(),
      line: startLine,
    });
  }
  return { escape, instructions };
}

/**
 * The names of the build arguments a Dockerfile declares with `ARG NAME` or
 * `ARG NAME=default`, in any stage and before the first FROM: the only ones
 * Docker's builder consumes (it warns about any other it is given).
 */
export function declaredBuildArgs(text: string): Set<string> {
  const names = new Set<string>();
  const { escape, instructions } = parseDockerfile(text);
  for (const instruction of instructions) {
    if (instruction.keyword !== 'arg') continue;
    // Newer builders take several on one line; naming each is right for them and harmless for older ones.
    for (const word of dockerfileWords(instruction.args, escape)) {
      const name = word.split('=', 1)[0]!;
      if (name !== '') names.add(name);
    }
  }
  return names;
}

/**
 * Splits an instruction's arguments into words as Docker's parser does:
 * whitespace separates them outside quotes, quotes and escapes are kept in
 * the word, and the escape character does not escape inside single quotes.
 */
export function dockerfileWords(rest: string, escape = '\\'): string[] {
  const words: string[] = [];
  const chars = [...rest];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  let blankOk = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (!inWord && quote === null) {
      if (/\s/.test(ch)) continue;
      inWord = true;
    }
    if (quote === null) {
      if (/\s/.test(ch)) {
        if (blankOk || word !== '') words.push(word);
        word = '';
        blankOk = false;
        inWord = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
      } else if (ch === escape) {
        if (i + 1 === chars.length) continue;
        word += ch + chars[++i]!;
        continue;
      }
      word += ch;
      continue;
    }
    if (ch === quote) {
      quote = null;
      word += ch;
      continue;
    }
    if (ch === escape && quote !== "'") {
      if (i + 1 === chars.length) continue;
      word += ch + chars[++i]!;
      continue;
    }
    word += ch;
  }
  if (inWord || quote !== null) {
    if (blankOk || word !== '') words.push(word);
  }
  return words;
}

function escapeForRegExp(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
