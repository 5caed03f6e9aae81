// One call in full: its JSON with each diagnostic under the line of the field it names (rule
// code linking to the rule's documentation, message, suggestion), the destination actions it
// triggers, and buttons to copy it as JSON or as a curl command that sends it again.

import { prefixFor } from './api.js'
import { clock, copy, curlCommand, h, plural } from './format.js'
import { lineFor, prettyLines } from './json.js'

const STATUS_TEXT = { errors: 'Errors', warnings: 'Warnings', valid: 'Valid' }

/** A diagnostic as a note under its line. */
function note(diagnostic, exact, onRule) {
  const where = diagnostic.pointer || '(the whole call)'
  return h(
    'div',
    { class: `note severity-${diagnostic.severity}`, role: 'note', dataset: { pointer: diagnostic.pointer } },
    h(
      'div',
      { class: 'note-head' },
      h('span', { class: 'severity' }, diagnostic.severity),
      h('a', { class: 'rule-link', href: `#rule=${diagnostic.rule}`, onclick: (e) => (e.preventDefault(), onRule(diagnostic.rule)), title: `About ${diagnostic.rule}` }, diagnostic.code, ' ', diagnostic.rule),
      h('code', { class: 'pointer', title: exact ? 'the field' : 'not in the call: shown at the closest field that is' }, exact ? where : `${where} (missing)`),
    ),
    h('div', { class: 'message' }, diagnostic.message),
    diagnostic.suggestion ? h('div', { class: 'suggestion' }, h('span', {}, 'Suggestion '), h('code', {}, diagnostic.suggestion)) : null,
    diagnostic.plan ? h('div', { class: 'plan-rule' }, 'Plan rule ', h('code', {}, diagnostic.plan)) : null,
  )
}

/** The call's JSON, a line per row, with the notes of each line under it. */
function payload(detail, onRule) {
  const lines = prettyLines(detail.text)
  const notes = new Map()
  for (const diagnostic of detail.diagnostics) {
    const { line, exact } = lineFor(lines, diagnostic.pointer)
    if (!notes.has(line)) notes.set(line, [])
    notes.get(line).push(note(diagnostic, exact, onRule))
  }
  const rows = []
  lines.forEach((line, i) => {
    const flagged = notes.get(i)
    const severity = flagged && (flagged.some((n) => n.classList.contains('severity-error')) ? 'error' : 'warning')
    rows.push(
      h(
        'div',
        { class: `line${flagged ? ` flagged severity-${severity}` : ''}`, dataset: { pointer: line.pointer ?? '' } },
        h('span', { class: 'ln', 'aria-hidden': 'true' }, i + 1),
        h('span', { class: 'src', style: { '--indent': line.indent } }, line.parts.map(([kind, text]) => (kind === 'punct' || kind === 'plain' ? text : h('span', { class: `j-${kind}` }, text)))),
      ),
    )
    if (flagged) rows.push(h('div', { class: 'notes' }, flagged))
  })
  return h('div', { class: 'code', role: 'region', 'aria-label': 'The call as received', tabindex: '0' }, rows)
}

/** The destination actions the call triggers. */
function actions(list) {
  if (!list.length) return null
  return h(
    'section',
    { class: 'actions' },
    h('h3', {}, 'Destination actions'),
    h(
      'ul',
      { class: 'action-list' },
      list.map((a) =>
        h(
          'li',
          { class: `action ${a.ok ? 'ok' : 'failed'}` },
          h('span', { class: 'action-state', 'aria-hidden': 'true' }, a.ok ? '✓' : '✕'),
          h(
            'div',
            {},
            h('div', { class: 'action-name' }, h('b', {}, a.preset), h('span', { class: 'muted' }, ` ${a.destination} · ${a.action}`)),
            h('div', { class: 'action-result' }, a.ok ? 'Mapping succeeded' : 'Mapping failed'),
            a.missing && a.missing.length
              ? h('div', { class: 'action-missing' }, 'Required fields that did not resolve: ', a.missing.map((f) => h('code', {}, f)))
              : null,
            a.invalid && a.invalid.length ? h('div', { class: 'action-missing' }, 'Invalid: ', a.invalid.map((f) => h('span', {}, h('code', {}, f.field), ` ${f.reason} `))) : null,
          ),
        ),
      ),
    ),
  )
}

/** Renders `detail` (from `/_cdpspec/calls/{id}`) into `element`. */
export function renderDetail(element, detail, { onRule, onClose, toast }) {
  const label = detail.event ?? detail.name
  const pretty = prettyLines(detail.text).map((l) => '  '.repeat(l.indent) + l.parts.map((p) => p[1]).join('')).join('\n')
  const copyButton = (text, what) =>
    h('button', { type: 'button', class: 'button', onclick: async () => toast((await copy(text())) ? `${what} copied` : `Could not copy ${what}`) }, what === 'JSON' ? 'Copy JSON' : 'Copy curl')
  element.replaceChildren(
    h(
      'header',
      { class: 'detail-head' },
      h('button', { type: 'button', class: 'icon-button back', onclick: onClose, 'aria-label': 'Back to the list', title: 'Back (Esc)' }, '←'),
      h(
        'div',
        { class: 'detail-title' },
        h('h2', {}, h('span', { class: `type type-${detail.type || 'none'}` }, detail.type || 'no type'), ' ', label ?? ''),
        h(
          'div',
          { class: 'detail-meta' },
          h('span', { class: `status status-${detail.status}` }, h('span', { class: 'status-icon', 'aria-hidden': 'true' }), STATUS_TEXT[detail.status]),
          h('span', {}, clock(detail.receivedAt)),
          h('span', { class: 'muted' }, `${detail.endpoint}${detail.batchIndex !== null && detail.batchIndex !== undefined ? ` [${detail.batchIndex}]` : ''}`),
          detail.tag ? h('span', { class: 'chip tag' }, detail.tag) : null,
          detail.writeKey ? h('span', { class: 'muted' }, `key ${detail.writeKey}`) : null,
        ),
      ),
      h('div', { class: 'detail-tools' }, copyButton(() => pretty, 'JSON'), copyButton(() => curlCommand(detail, location.origin, prefixFor), 'curl')),
    ),
    detail.diagnostics.length
      ? h(
          'p',
          { class: `detail-summary severity-${detail.errors ? 'error' : 'warning'}` },
          `${plural(detail.errors, 'error')}, ${plural(detail.warnings, 'warning')}: each is shown under the line of its field.`,
        )
      : h('p', { class: 'detail-summary ok' }, 'No problems: this call meets the spec', detail.planChecked ? ' and the plan' : '', '.'),
    payload(detail, onRule),
    actions(detail.actions),
  )
}
