// The filters and the view, kept in the address's hash (#calls?status=errors&id=12), so a
// reload, the back button and a shared link show the same thing; and whether a call matches
// them, for calls that arrive live.

import { scopedTag } from './api.js'

/** What the filter bar sets: each maps to a `/_cdpspec/calls` parameter. */
export const FILTER_KEYS = ['status', 'type', 'event', 'name', 'tag', 'q']

/** The view (`calls` or `summary`), the filters, and the selected call id, from the hash. */
export function readHash() {
  const hash = location.hash.replace(/^#/, '')
  const [view, query = ''] = hash.split('?')
  const params = new URLSearchParams(query)
  const filters = {}
  for (const key of FILTER_KEYS) {
    const value = params.get(key)
    if (value) filters[key] = value
  }
  if (scopedTag) delete filters.tag
  const id = Number(params.get('id')) || null
  return { view: view === 'summary' ? 'summary' : 'calls', filters, id }
}

/** Writes the view, filters and selection to the hash, without adding a history entry for each keystroke. */
export function writeHash({ view, filters, id }, push = false) {
  const params = new URLSearchParams()
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key])
  if (id && view === 'calls') params.set('id', id)
  const query = params.toString()
  const hash = `#${view}${query ? `?${query}` : ''}`
  if (hash === location.hash) return
  if (push) history.pushState(null, '', hash)
  else history.replaceState(null, '', hash)
}

/** The `/_cdpspec/calls` parameters for `filters` (a tag filter of '(none)' asks for untagged calls). */
export function queryFor(filters) {
  const params = {}
  for (const key of FILTER_KEYS) if (filters[key]) params[key] = filters[key]
  if (params.tag === '(none)') params.tag = ''
  return params
}

/**
 * Whether a call summary that arrived live matches `filters`: null when it cannot be told
 * here (free text: the server searches the call itself).
 */
export function matches(summary, filters) {
  if (filters.q) return null
  if (filters.status && summary.status !== filters.status) return false
  if (filters.type && summary.type !== filters.type) return false
  if (filters.event && summary.event !== filters.event) return false
  if (filters.name && summary.name !== filters.name) return false
  if (filters.tag) {
    const tag = filters.tag === '(none)' ? null : filters.tag
    if ((summary.tag || null) !== tag) return false
  }
  return true
}

/** Whether any filter is set. */
export function any(filters) {
  return FILTER_KEYS.some((key) => filters[key])
}
