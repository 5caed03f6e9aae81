// The inspector's entry point: reads the view and filters from the address, loads the list,
// counts and timeline from the server, listens to the live feed, and wires the controls and
// the keyboard. Rendering is in list.js, detail.js, summary.js, timeline.js and rules.js.

import { get, listen, post, prefix, scopedTag } from './api.js'
import { renderDetail } from './detail.js'
import { any, matches, readHash, writeHash } from './filters.js'
import { count, h, plural } from './format.js'
import { CallList } from './list.js'
import { showRule } from './rules.js'
import { renderSummary } from './summary.js'
import { Timeline } from './timeline.js'

const $ = (id) => document.getElementById(id)

const state = { ...readHash(), paused: false, pending: 0, counts: null, detailAbort: null }
/** For tests and the curious: how long the last list load took. */
const inspector = (window.inspector = { loads: 0, lastLoad: null, live: 0 })

const hrefFor = (id) => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(state.filters)) if (value) params.set(key, value)
  params.set('id', id)
  return `#calls?${params}`
}

const list = new CallList($('list'), {
  hrefFor,
  onSelect: (id) => select(id, true),
  onLoaded: ({ count: n, shown, ms }) => {
    inspector.loads++
    inspector.lastLoad = { ms, count: n, shown }
    document.body.dataset.loads = inspector.loads
    renderListHead()
  },
})
const timeline = new Timeline($('timeline'))

/** The tag the counts and timeline are scoped to: the filter's, if any. */
function tagScope() {
  const tag = state.filters.tag
  if (!tag) return {}
  return { tag: tag === '(none)' ? '' : tag }
}

function toast(text) {
  const element = $('toast')
  element.textContent = text
  element.classList.add('shown')
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => element.classList.remove('shown'), 2200)
}

function fail(error) {
  if (error?.name === 'AbortError') return
  console.error(error)
  toast(`Could not reach the collector: ${error.message}`)
}

// --- counts and the list head ------------------------------------------------------------

function renderCounts() {
  const c = state.counts
  if (!c) return
  $('n-all').textContent = count(c.total)
  $('n-errors').textContent = count(c.errors)
  $('n-warnings').textContent = count(c.warnings)
  $('n-valid').textContent = count(c.valid - c.warnings)
}

function renderListHead() {
  const shown = list.total
  $('list-count').textContent = any(state.filters) ? `${plural(shown, 'call')} match` : plural(shown, 'call')
  const empty = list.rows.size === 0
  $('empty').hidden = !empty
  if (empty) {
    const filtered = any(state.filters) && state.counts?.total
    $('empty-title').textContent = filtered ? 'No call matches these filters' : 'Waiting for calls'
    $('empty-text').textContent = filtered ? 'Clear a filter, or wait: new calls that match appear here.' : "Point an SDK's host at this collector, or send one:"
    $('empty-curl').hidden = Boolean(filtered)
  }
  const pending = $('new-calls')
  if (state.paused && state.pending) {
    pending.hidden = false
    pending.textContent = `${plural(state.pending, 'new call')} · resume`
  } else if (list.unseen) {
    pending.hidden = false
    pending.textContent = `↑ ${plural(list.unseen, 'new call')}`
  } else {
    pending.hidden = true
  }
}

// --- loading -------------------------------------------------------------------------------

async function loadCounts() {
  state.counts = await get('counts', tagScope())
  renderCounts()
}

async function loadTimeline() {
  timeline.set(await get('timeline', { ...tagScope(), minutes: 15, buckets: 60 }))
}

/** Event names and tags for the filter fields; the summary view too when it shows. */
async function loadSummary() {
  const summary = await get('summary', tagScope())
  const names = $('event-names')
  names.replaceChildren(...summary.events.filter((e) => e.name).map((e) => h('option', { value: e.name }, `${e.type} · ${plural(e.calls, 'call')}`)))
  const tags = $('f-tag')
  const chosen = state.filters.tag || ''
  tags.replaceChildren(h('option', { value: '' }, 'Any tag'), h('option', { value: '(none)' }, '(untagged)'), ...summary.tags.filter((t) => t.tag).map((t) => h('option', { value: t.tag }, t.tag)))
  if (chosen && ![...tags.options].some((o) => o.value === chosen)) tags.append(h('option', { value: chosen }, chosen))
  tags.value = chosen
  if (state.view === 'summary') {
    if (!state.counts) await loadCounts()
    renderSummary($('summary-view'), summary, state.counts, { go: (filters) => go(filters), onRule: (rule) => showRule($('rule-dialog'), rule) })
    document.body.dataset.summary = 'ready'
  }
}

async function loadList() {
  await list.load(state.filters)
  list.unseen = 0
  if (state.id) list.mark(state.id)
}

/**
 * Reads again what is shown: the list (first: the database answers in order), and, unless
 * only the list's filters changed, the counts and timeline, then the summary (not waited for).
 * After a filter change, a reset, a resume, or a gap in the live feed.
 */
async function reload({ scope = true } = {}) {
  state.pending = 0
  try {
    await loadList()
    if (scope) await Promise.all([loadCounts(), loadTimeline()])
  } catch (error) {
    fail(error)
  }
  renderListHead()
  if (scope) loadSummary().catch(fail)
}

let reloadTimer = null
function reloadSoon(delay = 250, scope = true) {
  clearTimeout(reloadTimer)
  reloadTimer = setTimeout(() => reload({ scope }), delay)
}

let summaryTimer = null
/** The summary view again, at most once a second while calls arrive, and only while it shows. */
function summarySoon() {
  if (summaryTimer || state.view !== 'summary') return
  summaryTimer = setTimeout(() => {
    summaryTimer = null
    loadSummary().catch(fail)
  }, 1000)
}

// --- the live feed -------------------------------------------------------------------------

function inScope(summary) {
  const tag = state.filters.tag
  if (!tag) return true
  return (summary.tag || null) === (tag === '(none)' ? null : tag)
}

function onCalls(arrived) {
  inspector.live += arrived.length
  const scoped = arrived.filter(inScope)
  if (state.counts) {
    for (const s of scoped) {
      state.counts.total++
      if (s.status === 'errors') state.counts.errors++
      else state.counts.valid++
      if (s.status === 'warnings') state.counts.warnings++
    }
    renderCounts()
  }
  timeline.add(scoped)
  summarySoon()
  const verdicts = arrived.map((s) => matches(s, state.filters))
  const matching = arrived.filter((_, i) => verdicts[i] === true)
  if (state.paused) {
    state.pending += verdicts.includes(null) ? arrived.length : matching.length
    renderListHead()
    return
  }
  if (verdicts.includes(null)) {
    // Free text is searched by the server.
    reloadSoon(400, false)
    return
  }
  if (!matching.length) return
  const atTop = list.atTop()
  list.prepend(matching)
  if (!atTop) list.unseen = (list.unseen || 0) + matching.length
  renderListHead()
}

function setLive(kind) {
  const element = $('live')
  element.className = `live state-${kind}`
  element.textContent = { live: 'Live', paused: 'Paused', reconnecting: 'Reconnecting…' }[kind]
}

function togglePause() {
  state.paused = !state.paused
  $('pause').setAttribute('aria-pressed', String(state.paused))
  $('pause').textContent = state.paused ? 'Resume' : 'Pause'
  setLive(state.paused ? 'paused' : 'live')
  // Counts and the timeline kept up while paused: only the list is behind.
  if (!state.paused && state.pending) reload({ scope: false })
  renderListHead()
}

// --- selection and views -------------------------------------------------------------------

async function select(id, push = false) {
  state.id = id
  writeHash(state, push)
  list.mark(id)
  document.body.classList.toggle('detail-open', Boolean(id))
  const element = $('detail')
  if (!id) {
    element.querySelector('.detail-head')?.remove()
    return
  }
  state.detailAbort?.abort()
  const abort = (state.detailAbort = new AbortController())
  try {
    const detail = await get(`calls/${id}`, {}, abort.signal)
    renderDetail(element, detail, { onRule: (rule) => showRule($('rule-dialog'), rule), onClose: () => closeDetail(), toast })
    element.scrollTop = 0
    element.dataset.id = id
  } catch (error) {
    if (error?.name === 'AbortError') return
    element.replaceChildren(h('div', { class: 'detail-empty' }, h('p', {}, `Call ${id} is not stored any more: ${error.message}`)))
  }
}

function closeDetail() {
  const id = state.id
  state.id = null
  writeHash(state)
  document.body.classList.remove('detail-open')
  if (id) list.rows.get(id)?.focus()
}

/** Shows the calls `filters` select (from the summary's links). */
function go(filters) {
  state.view = 'calls'
  state.id = null
  applyView()
  refilter(Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), true)
}

function applyView() {
  const summary = state.view === 'summary'
  $('calls-view').hidden = summary
  $('summary-view').hidden = !summary
  $('tab-calls').toggleAttribute('aria-current', !summary)
  $('tab-summary').toggleAttribute('aria-current', summary)
  if (summary) {
    $('tab-calls').removeAttribute('aria-current')
    $('tab-summary').setAttribute('aria-current', 'page')
    loadSummary().catch(fail)
  } else {
    $('tab-summary').removeAttribute('aria-current')
    $('tab-calls').setAttribute('aria-current', 'page')
  }
}

// --- filters -------------------------------------------------------------------------------

function eventKey() {
  return state.filters.type === 'page' || state.filters.type === 'screen' ? 'name' : 'event'
}

function syncFields() {
  const f = state.filters
  for (const button of $('status-filter').querySelectorAll('button')) button.setAttribute('aria-pressed', String((f.status || '') === button.dataset.status))
  $('f-type').value = f.type || ''
  $('f-event').value = f[eventKey()] || ''
  $('f-event-label').textContent = f.type === 'page' ? 'Page name' : f.type === 'screen' ? 'Screen name' : 'Event'
  $('f-event').placeholder = f.type === 'page' ? 'Any page' : f.type === 'screen' ? 'Any screen' : 'Any event'
  $('f-tag').value = f.tag || ''
  $('f-q').value = f.q || ''
  $('clear').hidden = !any(f)
}

function setFilter(changes) {
  const filters = { ...state.filters, ...changes }
  for (const key of Object.keys(filters)) if (!filters[key]) delete filters[key]
  refilter(filters)
}

/** Shows the calls `filters` select, timing it (`inspector.lastFilter`). */
function refilter(filters, push = false) {
  // Counts, timeline and summary follow the tag alone.
  const scope = (filters.tag || '') !== (state.filters.tag || '')
  state.filters = filters
  writeHash(state, push)
  syncFields()
  const started = performance.now()
  return reload({ scope }).then(() => {
    inspector.lastFilter = { ms: performance.now() - started, count: list.total }
    document.body.dataset.filtered = String((Number(document.body.dataset.filtered) || 0) + 1)
  })
}

function debounce(fn, ms) {
  let timer
  return (...args) => {
    clearTimeout(timer)
    timer = setTimeout(() => fn(...args), ms)
  }
}

function wireFilters() {
  $('status-filter').addEventListener('click', (event) => {
    const button = event.target.closest('button')
    if (button) setFilter({ status: button.dataset.status })
  })
  $('f-type').addEventListener('change', (event) => {
    const type = event.target.value
    // The name box means the event for tracks, the name for pages and screens.
    const text = $('f-event').value
    const named = type === 'page' || type === 'screen'
    setFilter({ type, event: named ? '' : text, name: named ? text : '' })
  })
  $('f-event').addEventListener('input', debounce((event) => setFilter({ [eventKey()]: event.target.value.trim() }), 300))
  $('f-tag').addEventListener('change', (event) => setFilter({ tag: event.target.value }))
  $('f-q').addEventListener('input', debounce((event) => setFilter({ q: event.target.value.trim() }), 300))
  $('clear').addEventListener('click', () => refilter({}))
}

// --- the keyboard --------------------------------------------------------------------------

function typing(target) {
  return target.closest('input, select, textarea, [contenteditable]')
}

function wireKeys() {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return
    if (document.querySelector('dialog[open]')) return
    if (event.key === 'Escape') {
      if (typing(event.target)) event.target.blur()
      else if (state.id) closeDetail()
      return
    }
    if (typing(event.target)) return
    const move = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key]
    if (move && state.view === 'calls' && !event.target.closest('.code')) {
      event.preventDefault()
      const id = list.step(move)
      if (id) {
        select(id)
        list.mark(id, true)
      }
    } else if (event.key === '/') {
      event.preventDefault()
      if (state.view !== 'calls') go(state.filters)
      $('f-q').focus()
    } else if (event.key === 'p') {
      togglePause()
    } else if (event.key === 's') {
      location.hash = '#summary'
    } else if (event.key === 'c') {
      location.hash = '#calls'
    }
  })
}

// --- start ---------------------------------------------------------------------------------

function start() {
  inspector.startedMs = performance.now()
  if (scopedTag) {
    $('scope').hidden = false
    $('scope').textContent = `tag ${scopedTag}`
    $('tag-field').hidden = true
  }
  $('empty-curl').textContent = `curl ${location.origin}${prefix}/v1/track -H 'Content-Type: application/json' \\\n  -d '{"userId": "u1", "event": "Signed Up"}'`
  wireFilters()
  wireKeys()
  $('pause').addEventListener('click', togglePause)
  $('new-calls').addEventListener('click', () => {
    if (state.paused) togglePause()
    list.unseen = 0
    list.element.closest('.list-scroll').scrollTop = 0
    renderListHead()
  })
  $('list').closest('.list-scroll').addEventListener('scroll', () => {
    if (list.unseen && list.atTop()) {
      list.unseen = 0
      renderListHead()
    }
  })
  $('reset').addEventListener('click', () => {
    const tag = scopedTag || (state.filters.tag && state.filters.tag !== '(none)' ? state.filters.tag : null)
    $('reset-title').textContent = tag ? `Delete the calls of tag ${tag}?` : 'Delete every stored call?'
    $('reset-text').textContent = tag ? `The calls and refused requests sent under ${tag} are deleted. This cannot be undone.` : 'Every call and refused request stored is deleted. This cannot be undone.'
    $('reset-dialog').returnValue = ''
    $('reset-dialog').showModal()
  })
  $('reset-dialog').addEventListener('close', async () => {
    if ($('reset-dialog').returnValue !== 'reset') return
    const tag = scopedTag ? null : state.filters.tag && state.filters.tag !== '(none)' ? state.filters.tag : null
    try {
      await post('reset', tag ? { tag } : {})
      toast('Calls deleted')
    } catch (error) {
      fail(error)
    }
  })
  window.addEventListener('hashchange', () => {
    const next = readHash()
    const filtersChanged = JSON.stringify(next.filters) !== JSON.stringify(state.filters)
    Object.assign(state, next)
    applyView()
    syncFields()
    if (filtersChanged) reload()
    if (state.view === 'calls' && state.id && Number($('detail').dataset.id) !== state.id) select(state.id)
    if (!state.id) document.body.classList.remove('detail-open')
  })
  setInterval(() => timeline.tick(), 5000)
  listen({
    calls: onCalls,
    reset: () => reloadSoon(0),
    lagged: () => reloadSoon(300),
    state: (kind) => setLive(kind === 'live' && state.paused ? 'paused' : kind),
  })
  applyView()
  syncFields()
  reload().then(() => {
    inspector.readyMs = performance.now()
    document.body.dataset.ready = 'true'
    if (state.id) select(state.id)
  })
}

start()
