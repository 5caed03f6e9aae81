// The summary a team lead reads after a test session: events seen against the tracking plan
// (planned events that never arrived, unplanned ones that did), calls per event, and how
// often each rule was broken. Every count links to the calls it counts.

import { count, h, plural } from './format.js'

function stat(label, value, kind = '') {
  return h('div', { class: `stat ${kind}` }, h('div', { class: 'stat-value' }, count(value)), h('div', { class: 'stat-label' }, label))
}

function filterLink(text, filters, go, attributes = {}) {
  return h('a', { href: '#', ...attributes, onclick: (e) => (e.preventDefault(), go(filters)) }, text)
}

/** Filters that list the calls of one row of `events`. */
function eventFilters(e) {
  if (e.type === 'track') return { type: 'track', event: e.name ?? undefined }
  if (e.type === 'page' || e.type === 'screen') return { type: e.type, name: e.name ?? undefined }
  return { type: e.type ?? undefined }
}

function planCard(summary, go) {
  if (!summary.plan) {
    return h(
      'section',
      { class: 'card plan none' },
      h('h3', {}, 'Tracking plan'),
      h('p', { class: 'muted' }, 'No tracking plan: start the collector with ', h('code', {}, '--plan plan.yaml'), ' to see which planned events never arrived and which unplanned ones did.'),
    )
  }
  const never = summary.neverArrived
  const unplanned = summary.unplanned
  return h(
    'section',
    { class: 'card plan' },
    h('h3', {}, 'Tracking plan ', h('span', { class: 'muted' }, summary.plan.name)),
    h(
      'div',
      { class: 'plan-columns' },
      h(
        'div',
        { class: 'plan-column never', 'aria-label': 'Planned, never arrived' },
        h('h4', {}, 'Planned, never arrived ', h('span', { class: 'badge' }, never.length)),
        never.length
          ? h('ul', { class: 'names' }, never.map((e) => h('li', {}, h('span', { class: `type type-${e.type}` }, e.type), ' ', e.name)))
          : h('p', { class: 'muted' }, 'Every planned event arrived.'),
      ),
      h(
        'div',
        { class: 'plan-column unplanned', 'aria-label': 'Arrived, not in the plan' },
        h('h4', {}, 'Arrived, not in the plan ', h('span', { class: 'badge' }, unplanned.length)),
        unplanned.length
          ? h(
              'ul',
              { class: 'names' },
              unplanned.map((e) => h('li', {}, h('span', { class: `type type-${e.type}` }, e.type), ' ', filterLink(e.name, eventFilters(e), go), h('span', { class: 'muted' }, ` ${plural(e.calls, 'call')}`))),
            )
          : h('p', { class: 'muted' }, 'No unplanned events arrived.'),
      ),
    ),
  )
}

function eventsTable(events, go, hasPlan) {
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, 'Events seen ', h('span', { class: 'badge' }, events.length)),
    events.length
      ? h(
          'table',
          { class: 'table events-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'Event or name'), h('th', { class: 'num' }, 'Calls'), h('th', { class: 'num' }, 'Errors'), h('th', { class: 'num' }, 'Warnings'), hasPlan ? h('th', {}, 'Plan') : null)),
          h(
            'tbody',
            {},
            events.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, h('span', { class: `type type-${e.type || 'none'}` }, e.type || 'no type')),
                h('td', {}, filterLink(e.name ?? '—', eventFilters(e), go)),
                h('td', { class: 'num' }, count(e.calls)),
                h('td', { class: 'num' }, e.errors ? filterLink(count(e.errors), { ...eventFilters(e), status: 'errors' }, go, { class: 'errors' }) : '0'),
                h('td', { class: 'num' }, e.warnings ? filterLink(count(e.warnings), { ...eventFilters(e), status: 'warnings' }, go, { class: 'warnings' }) : '0'),
                hasPlan ? h('td', {}, e.planned === true ? h('span', { class: 'chip planned' }, 'planned') : e.planned === false ? h('span', { class: 'chip unplanned' }, 'unplanned') : '') : null,
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No calls yet.'),
  )
}

function rulesTable(rules, onRule) {
  const max = Math.max(1, ...rules.map((r) => r.calls))
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, 'Rules broken ', h('span', { class: 'badge' }, rules.length)),
    rules.length
      ? h(
          'table',
          { class: 'table rules-table' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Severity'), h('th', { class: 'num' }, 'Calls'), h('th', { class: 'num' }, 'Times'), h('th', { class: 'bar-cell' }, ''))),
          h(
            'tbody',
            {},
            rules.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: `#rule=${r.rule}`, class: 'rule-link', title: r.summary || '', onclick: (e) => (e.preventDefault(), onRule(r.rule)) }, h('b', {}, r.code), ' ', r.rule)),
                h('td', {}, h('span', { class: `chip severity-${r.severity}` }, r.severity)),
                h('td', { class: 'num' }, count(r.calls)),
                h('td', { class: 'num' }, count(r.diagnostics)),
                h('td', { class: 'bar-cell' }, h('span', { class: `bar severity-${r.severity}`, style: { width: `${(r.calls / max) * 100}%` } })),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No rule broken. '),
  )
}

/** Renders a `/_cdpspec/summary` answer and the counts into `element`. */
export function renderSummary(element, summary, counts, { go, onRule }) {
  const clean = counts.valid - counts.warnings
  element.replaceChildren(
    h(
      'div',
      { class: 'stats' },
      stat('calls', counts.total),
      stat('with errors', counts.errors, 'errors'),
      stat('with warnings', counts.warnings, 'warnings'),
      stat('valid', clean, 'valid'),
      stat('refused requests', counts.refused, counts.refused ? 'errors' : ''),
    ),
    planCard(summary, go),
    h('div', { class: 'summary-columns' }, eventsTable(summary.events, go, Boolean(summary.plan)), rulesTable(summary.rules, onRule)),
  )
}
