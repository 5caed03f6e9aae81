// Pretty-prints a call's JSON text line by line, noting the JSON pointer each line starts,
// so diagnostics can be attached to the line of the field they name. It reads the text as
// stored (numbers and strings are copied as written, never re-encoded), two spaces a level.

/**
 * The lines of `text`: each `{indent, parts: [[class, text]...], pointer}`. A line opening a
 * member or an element carries its pointer; a closing bracket carries its container's, and
 * `closing: true`. Text that is not JSON comes back as one plain line per line.
 */
export function prettyLines(text) {
  try {
    const reader = new Reader(text)
    reader.value('', 0, [])
    reader.space()
    if (reader.at < text.length) throw new Error('trailing text')
    return reader.lines
  } catch {
    return String(text).split('\n').map((line) => ({ indent: 0, parts: [['plain', line]], pointer: null }))
  }
}

/** A pointer's segment: `~` and `/` escaped (RFC 6901). */
export function escapeSegment(key) {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * The index of the line for `pointer`: the line of the field itself, or of its nearest
 * ancestor that is there (a missing field is shown at the object that lacks it), and whether
 * it was found exactly.
 */
export function lineFor(lines, pointer) {
  const index = new Map()
  lines.forEach((line, i) => {
    if (!line.closing && line.pointer !== null && !index.has(line.pointer)) index.set(line.pointer, i)
  })
  let current = pointer || ''
  let exact = true
  for (;;) {
    if (index.has(current)) return { line: index.get(current), exact }
    if (current === '') return { line: 0, exact: false }
    current = current.slice(0, current.lastIndexOf('/'))
    exact = false
  }
}

class Reader {
  constructor(text) {
    this.text = text
    this.at = 0
    this.lines = []
  }

  space() {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at])) this.at++
  }

  fail() {
    throw new Error(`not JSON at ${this.at}`)
  }

  /** Reads a value into the line begun with `lead` (e.g. the key), at `pointer`. */
  value(pointer, indent, lead, trailing = '') {
    this.space()
    const c = this.text[this.at]
    if (c === '{' || c === '[') return this.container(pointer, indent, lead, trailing, c)
    const token = this.scalar()
    this.lines.push({ indent, pointer, parts: [...lead, token, ['punct', trailing]] })
  }

  container(pointer, indent, lead, trailing, open) {
    const close = open === '{' ? '}' : ']'
    this.at++
    this.space()
    if (this.text[this.at] === close) {
      this.at++
      this.lines.push({ indent, pointer, parts: [...lead, ['punct', open + close + trailing]] })
      return
    }
    this.lines.push({ indent, pointer, parts: [...lead, ['punct', open]] })
    for (let i = 0; ; i++) {
      this.space()
      let child
      let childLead
      if (open === '{') {
        const key = this.string()
        this.space()
        if (this.text[this.at] !== ':') this.fail()
        this.at++
        child = `${pointer}/${escapeSegment(JSON.parse(key))}`
        childLead = [['key', key], ['punct', ': ']]
      } else {
        child = `${pointer}/${i}`
        childLead = []
      }
      // Whether a comma follows is known only after the value: read it, then fix the line.
      const before = this.lines.length
      this.value(child, indent + 1, childLead)
      this.space()
      const next = this.text[this.at]
      if (next === ',') {
        this.at++
        const last = this.lines[this.lines.length - 1]
        last.parts[last.parts.length - 1][1] += ','
        if (this.lines.length === before) this.fail()
        continue
      }
      if (next !== close) this.fail()
      this.at++
      this.lines.push({ indent, pointer, closing: true, parts: [['punct', close + trailing]] })
      return
    }
  }

  string() {
    if (this.text[this.at] !== '"') this.fail()
    const start = this.at++
    while (this.at < this.text.length) {
      const c = this.text[this.at++]
      if (c === '\\') this.at++
      else if (c === '"') return this.text.slice(start, this.at)
    }
    this.fail()
  }

  scalar() {
    const c = this.text[this.at]
    if (c === '"') return ['string', this.string()]
    const match = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at, this.at + 400))
    if (!match) this.fail()
    this.at += match[0].length
    return [/^[-\d]/.test(match[0]) ? 'number' : 'literal', match[0]]
  }
}
