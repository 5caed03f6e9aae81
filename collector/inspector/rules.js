// The rule documentation, served by the collector itself (so it works offline): a dialog with
// what the rule catches, why it matters, its severity here, and a failing and a passing
// example, the same text as docs/rules.md.

import { get } from './api.js'
import { h } from './format.js'

let rules = null

async function load() {
  if (!rules) rules = get('rules').then((answer) => new Map(answer.rules.flatMap((r) => [[r.rule, r], [r.code, r]])))
  return rules
}

/** Opens the documentation of `rule` (a name or a code) in `dialog`. */
export async function showRule(dialog, rule) {
  const found = (await load()).get(rule)
  if (!found) return
  const example = (title, text, kind) => (text ? h('div', { class: `example ${kind}` }, h('h4', {}, title), h('pre', {}, h('code', {}, text))) : null)
  dialog.replaceChildren(
    h(
      'form',
      { method: 'dialog', class: 'rule-doc' },
      h(
        'header',
        {},
        h('h2', {}, h('span', { class: 'code' }, found.code), ' ', found.rule),
        h('button', { class: 'icon-button', value: 'close', 'aria-label': 'Close', title: 'Close (Esc)' }, '✕'),
      ),
      h(
        'p',
        { class: 'rule-severity' },
        h('span', { class: `chip severity-${found.severity}` }, found.severity === 'off' ? 'off here' : `${found.severity} here`),
        found.severity !== found.default ? h('span', { class: 'muted' }, ` (${found.default} by default)`) : null,
      ),
      h('p', { class: 'rule-summary' }, found.summary),
      h('p', {}, found.why),
      example(found.needsPlan ? 'Fails (with the example plan)' : 'Fails', found.failing, 'failing'),
      example('Passes', found.passing, 'passing'),
      h('p', { class: 'muted small' }, 'Every rule: docs/rules.md, or ', h('code', {}, 'cdpspec rules'), '. Change a severity with ', h('code', {}, `--severity ${found.rule}=warning`), '.'),
    ),
  )
  if (!dialog.open) dialog.showModal()
}
