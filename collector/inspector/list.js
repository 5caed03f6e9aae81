// The list of calls, newest first: one page from the server at a time (more as the reader
// scrolls), new calls added at the top as they arrive, and the selection moved by keyboard.
// It never holds more than MAX_ROWS rows: the table stays on the server.

import { get } from './api.js'
import { queryFor } from './filters.js'
import { clock, count, h } from './format.js'

/** Calls fetched at once. */
export const PAGE = 100
/** Rows kept in the page at most. */
const MAX_ROWS = 2000

const STATUS_TEXT = { errors: 'Errors', warnings: 'Warnings', valid: 'Valid' }

/** What identifies the sender: the user id, else the anonymous id. */
function who(summary) {
  if (summary.userId) return h('span', { class: 'who', title: 'userId' }, summary.userId)
  if (summary.anonymousId) return h('span', { class: 'who anonymous', title: 'anonymousId' }, summary.anonymousId)
  return h('span', { class: 'who missing' }, 'no identity')
}

/** The row of one call summary. */
export function row(summary, href) {
  const label = summary.event ?? summary.name
  const problems = summary.errors + summary.warnings
  const statusTitle = summary.status === 'valid' ? 'Valid' : `${STATUS_TEXT[summary.status]}: ${summary.errors} errors, ${summary.warnings} warnings`
  return h(
    'a',
    { class: `row status-${summary.status}`, href, role: 'option', 'aria-selected': 'false', tabindex: '-1', dataset: { id: summary.id }, id: `call-${summary.id}` },
    h('span', { class: `status status-${summary.status}`, title: statusTitle }, h('span', { class: 'status-icon', 'aria-hidden': 'true' }), STATUS_TEXT[summary.status] || summary.status, problems > 1 ? h('span', { class: 'status-count' }, problems) : null),
    h('span', { class: `type type-${summary.type || 'none'}` }, summary.type || 'no type'),
    h('span', { class: `label${label === null || label === undefined ? ' none' : ''}` }, label ?? (summary.type === 'track' ? 'no event' : '')),
    h('time', { class: 'time', datetime: summary.receivedAt, title: summary.receivedAt }, clock(summary.receivedAt)),
    h(
      'span',
      { class: 'meta' },
      who(summary),
      summary.tag ? h('span', { class: 'chip tag', title: 'tag' }, summary.tag) : null,
      summary.writeKey ? h('span', { class: 'key', title: 'write key' }, summary.writeKey) : null,
    ),
    summary.problem
      ? h(
          'span',
          { class: `problem severity-${summary.problem.severity}` },
          h('b', {}, summary.problem.code),
          ' ',
          summary.problem.message,
          problems > 1 ? h('span', { class: 'more' }, ` +${problems - 1} more`) : null,
        )
      : null,
  )
}

export class CallList {
  /**
   * `element`: the list; `hrefFor(id)`: a row's link; `onSelect(id)`: a row chosen;
   * `onLoaded({count, shown, ms})`: after each load.
   */
  constructor(element, { hrefFor, onSelect, onLoaded }) {
    this.element = element
    this.hrefFor = hrefFor
    this.onSelect = onSelect
    this.onLoaded = onLoaded
    this.filters = {}
    this.rows = new Map()
    this.oldest = null
    this.newest = 0
    this.total = 0
    this.exhausted = false
    this.loading = null
    this.selected = null
    this.sentinel = h('li', { class: 'sentinel', 'aria-hidden': 'true' })
    this.footer = h('li', { class: 'list-footer' })
    element.addEventListener('click', (event) => {
      const link = event.target.closest('a.row')
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return
      event.preventDefault()
      this.onSelect(Number(link.dataset.id))
    })
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) this.more()
    }, { root: element.closest('.list-scroll'), rootMargin: '400px' }).observe(this.sentinel)
  }

  /** Shows the newest calls matching `filters`, replacing what was shown. */
  async load(filters) {
    this.filters = filters
    this.abort?.abort()
    const abort = (this.abort = new AbortController())
    const started = performance.now()
    const page = await get('calls', { ...queryFor(filters), fields: 'summary', limit: PAGE }, abort.signal)
    if (abort.signal.aborted) return
    this.element.replaceChildren()
    this.rows.clear()
    this.oldest = null
    this.newest = page.calls.length ? page.calls[0].id : this.newest
    this.total = page.count
    this.exhausted = page.calls.length < PAGE
    this.append(page.calls)
    this.element.append(this.footer, this.sentinel)
    this.renderFooter()
    if (this.selected) this.mark(this.selected)
    this.tabStop()
    this.onLoaded({ count: page.count, shown: this.rows.size, ms: performance.now() - started })
  }

  append(list) {
    const fragment = document.createDocumentFragment()
    for (const summary of list) {
      if (this.rows.has(summary.id)) continue
      const element = row(summary, this.hrefFor(summary.id))
      this.rows.set(summary.id, element)
      fragment.append(element)
      this.oldest = this.oldest === null ? summary.id : Math.min(this.oldest, summary.id)
      this.newest = Math.max(this.newest, summary.id)
    }
    this.element.insertBefore(fragment, this.footer.parentNode ? this.footer : null)
  }

  /** Loads the next page of older calls. */
  async more() {
    if (this.exhausted || this.loading || this.oldest === null || this.rows.size >= MAX_ROWS) return
    const filters = this.filters
    this.loading = get('calls', { ...queryFor(filters), fields: 'summary', limit: PAGE, before: this.oldest })
    try {
      const page = await this.loading
      if (filters !== this.filters) return
      this.exhausted = page.calls.length < PAGE
      this.append(page.calls)
      this.renderFooter()
    } finally {
      this.loading = null
    }
  }

  renderFooter() {
    let text = ''
    if (this.rows.size === 0) text = ''
    else if (this.exhausted) text = `All ${count(this.rows.size)} matching calls shown`
    else if (this.rows.size >= MAX_ROWS) text = `Showing the newest ${count(this.rows.size)} of ${count(this.total)}: narrow the filters to see older calls`
    else text = `Loading older calls…`
    this.footer.textContent = text
    this.footer.hidden = !text
  }

  /** Adds calls that arrived (oldest first) at the top; the reader's place is kept. */
  prepend(list) {
    const scroller = this.element.closest('.list-scroll')
    const before = scroller.scrollHeight
    const keepPlace = scroller.scrollTop > 4
    for (const summary of list) {
      if (this.rows.has(summary.id) || summary.id <= this.newest) continue
      const element = row(summary, this.hrefFor(summary.id))
      element.classList.add('arrived')
      this.rows.set(summary.id, element)
      this.element.prepend(element)
      this.newest = summary.id
      this.total++
      if (this.oldest === null) this.oldest = summary.id
    }
    // Past the bound, the oldest rows go; paging on starts after the new oldest.
    if (this.rows.size > MAX_ROWS) {
      const ids = [...this.rows.keys()].sort((a, b) => a - b)
      for (const id of ids.slice(0, this.rows.size - MAX_ROWS)) {
        this.rows.get(id).remove()
        this.rows.delete(id)
      }
      this.exhausted = false
      this.oldest = Math.min(...this.rows.keys())
    }
    this.tabStop()
    if (keepPlace) scroller.scrollTop += scroller.scrollHeight - before
    if (this.rows.size && !this.footer.parentNode) this.element.append(this.footer, this.sentinel)
    this.renderFooter()
  }

  /** One row takes Tab (the selected one, else the first); arrows and j/k move between them. */
  tabStop() {
    const stop = (this.selected && this.rows.get(this.selected)) || this.element.querySelector('a.row')
    for (const element of this.element.querySelectorAll('a.row[tabindex="0"]')) if (element !== stop) element.setAttribute('tabindex', '-1')
    stop?.setAttribute('tabindex', '0')
  }

  /** Marks `id` as the selected row and brings it into view. */
  mark(id, focus = false) {
    const old = this.selected && this.rows.get(this.selected)
    if (old) old.setAttribute('aria-selected', 'false')
    this.selected = id
    this.tabStop()
    const element = this.rows.get(id)
    if (!element) return
    element.setAttribute('aria-selected', 'true')
    element.scrollIntoView({ block: 'nearest' })
    if (focus) element.focus()
  }

  /** The id `delta` rows from the selected one (or the first). */
  step(delta) {
    const ids = [...this.element.querySelectorAll('a.row')].map((e) => Number(e.dataset.id))
    if (!ids.length) return null
    const at = ids.indexOf(this.selected)
    if (at < 0) return ids[0]
    return ids[Math.max(0, Math.min(ids.length - 1, at + delta))]
  }

  /** Whether the reader is at the top (new calls are then in view). */
  atTop() {
    return this.element.closest('.list-scroll').scrollTop <= 4
  }
}
