// Talking to the collector: the JSON API and the live feed, all under the page's own tag
// prefix (a page opened at /t/checkout/ sees only that tag's calls).

/** `/t/{tag}` when the page was opened under a tag, else ''. */
export const prefix = (location.pathname.match(/^\/t\/[A-Za-z0-9._~:-]+/) || [''])[0]

/** The tag the page is scoped to, or null. */
export const scopedTag = prefix ? decodeURIComponent(prefix.slice(3)) : null

/** The prefix a call sent under `tag` was sent with. */
export function prefixFor(tag) {
  return tag ? `/t/${encodeURIComponent(tag)}` : ''
}

/** `/_cdpspec/{path}` under the page's prefix, with `params` (null and undefined left out; `tag=` asks for untagged calls). */
export function url(path, params = {}) {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) query.set(key, value)
  }
  const text = query.toString()
  return `${prefix}/_cdpspec/${path}${text ? `?${text}` : ''}`
}

/** GET a JSON answer; throws with the collector's message on failure. */
export async function get(path, params, signal) {
  const response = await fetch(url(path, params), { signal, headers: { Accept: 'application/json' } })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || `${response.status} ${response.statusText}`)
  return body
}

/** POST with no body; the JSON answer. */
export async function post(path, params) {
  const response = await fetch(url(path, params), { method: 'POST' })
  const body = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(body.message || `${response.status} ${response.statusText}`)
  return body
}

/**
 * Listens to the live feed. `on` gets `calls(list)`, `reset(info)`, `lagged(info)` and
 * `state('live' | 'reconnecting')`; after a reconnection, `lagged` too (calls may have been
 * missed while it was down).
 */
export function listen(on) {
  const source = new EventSource(url('events'))
  let dropped = false
  source.addEventListener('open', () => {
    on.state('live')
    if (dropped) on.lagged({ missed: null })
    dropped = false
  })
  source.addEventListener('error', () => {
    dropped = true
    on.state('reconnecting')
  })
  const parsed = (handler) => (event) => {
    try {
      handler(JSON.parse(event.data))
    } catch (error) {
      console.error('inspector: bad event', error)
    }
  }
  source.addEventListener('calls', parsed(on.calls))
  source.addEventListener('reset', parsed(on.reset))
  source.addEventListener('lagged', parsed(on.lagged))
  return source
}
