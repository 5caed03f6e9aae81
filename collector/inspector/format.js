// Small pure helpers the views share: building elements, escaping, times and numbers in
// words, and the curl command that replays a call.

/** An element: h('div', {class: 'x', onclick: f}, child, 'text', ...). Null children are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value)
    else if (key === 'dataset') Object.assign(element.dataset, value)
    // Through the CSSOM: the content security policy refuses style attributes.
    else if (key === 'style') for (const [name, v] of Object.entries(value)) element.style.setProperty(name, v)
    else element.setAttribute(key, value === true ? '' : value)
  }
  append(element, children)
  return element
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(element, child)
    else element.append(child instanceof Node ? child : String(child))
  }
}

/** 1234 as "1,234". */
export function count(n) {
  return Number(n || 0).toLocaleString('en-US')
}

/** "3 calls", "1 call". */
export function plural(n, word) {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`
}

/** The time of day of an RFC 3339 time, to the millisecond, in local time. */
export function clock(rfc3339) {
  const date = new Date(rfc3339)
  if (Number.isNaN(date.getTime())) return rfc3339 || ''
  const two = (n) => String(n).padStart(2, '0')
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
}

/** "just now", "12 s ago", "3 min ago", or the date and time. */
export function ago(ms, now = Date.now()) {
  const seconds = Math.round((now - ms) / 1000)
  if (seconds < 2) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  return new Date(ms).toLocaleString()
}

/** `text` in single quotes for a POSIX shell. */
export function shellQuote(text) {
  return `'${String(text).replaceAll("'", `'\\''`)}'`
}

const SINGLE = new Set(['identify', 'track', 'page', 'screen', 'group', 'alias'])

/**
 * A curl command that sends `detail`'s call again to this collector, under its tag, with its
 * write key: to its type's endpoint, or in a batch when its type is not one.
 */
export function curlCommand(detail, origin, prefixFor) {
  let call
  try {
    call = JSON.parse(detail.text)
  } catch {
    call = detail.call
  }
  if (call && typeof call === 'object' && !Array.isArray(call)) delete call.receivedAt
  const single = call && SINGLE.has(call.type)
  const path = single ? `/v1/${call.type}` : '/v1/batch'
  const body = JSON.stringify(single ? call : { batch: [call] })
  const url = `${origin}${prefixFor(detail.tag)}${path}`
  const key = detail.writeKey ? ` -u ${shellQuote(`${detail.writeKey}:`)}` : ''
  return `curl -sS -X POST ${shellQuote(url)} -H 'Content-Type: application/json'${key} --data-raw ${shellQuote(body)}`
}

/** Copies `text`; true when it was copied. Falls back to a hidden text area off secure origins. */
export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = h('textarea', { class: 'offscreen', readonly: true })
    area.value = text
    document.body.append(area)
    area.select()
    let ok = false
    try {
      ok = document.execCommand('copy')
    } catch {
      ok = false
    }
    area.remove()
    return ok
  }
}
