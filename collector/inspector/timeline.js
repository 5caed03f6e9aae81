// The timeline: calls and calls with errors over the last minutes, a bar per span, drawn as
// SVG. It is read once from the server, then kept current from the live feed.

import { count } from './format.js'

const SVG = 'http://www.w3.org/2000/svg'

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value)
  return element
}

export class Timeline {
  constructor(element) {
    this.element = element
    this.data = null
    this.skew = 0
  }

  /** Takes a `/_cdpspec/timeline` answer. */
  set(data) {
    this.data = { start: data.start, width: data.width, calls: [...data.calls], errors: [...data.errors] }
    this.skew = data.start + data.width * data.calls.length - Date.now()
    this.draw()
  }

  /** Moves the window on so that it ends now; spans that fall off are dropped. */
  roll(toMs = Date.now() + this.skew) {
    const d = this.data
    if (!d) return false
    const n = d.calls.length
    const end = d.start + d.width * n
    if (toMs < end) return false
    const shift = Math.floor((toMs - end) / d.width) + 1
    for (let i = 0; i < Math.min(shift, n); i++) {
      d.calls.shift()
      d.calls.push(0)
      d.errors.shift()
      d.errors.push(0)
    }
    d.start += shift * d.width
    return true
  }

  /** Counts calls that arrived (summaries from the live feed). */
  add(summaries) {
    const d = this.data
    if (!d) return
    for (const s of summaries) {
      this.roll(s.receivedMs)
      const i = Math.floor((s.receivedMs - d.start) / d.width)
      if (i < 0 || i >= d.calls.length) continue
      d.calls[i]++
      if (s.status === 'errors') d.errors[i]++
    }
    this.draw()
  }

  /** Keeps "now" at the right edge. */
  tick() {
    if (this.roll()) this.draw()
  }

  draw() {
    const d = this.data
    if (!d) return
    const n = d.calls.length
    const max = Math.max(1, ...d.calls)
    const total = d.calls.reduce((a, b) => a + b, 0)
    const errors = d.errors.reduce((a, b) => a + b, 0)
    const minutes = Math.round((d.width * n) / 60000)
    const chart = svg('svg', { viewBox: `0 0 ${n * 10} 40`, preserveAspectRatio: 'none', class: 'timeline-chart', role: 'img' })
    const title = svg('title', {})
    title.textContent = `${count(total)} calls and ${count(errors)} with errors in the last ${minutes} minutes`
    chart.append(title)
    // A baseline, and a faint line every 5 minutes (every fifth of the span when it is not minutes).
    chart.append(svg('rect', { x: 0, y: 39.5, width: n * 10, height: 0.5, class: 'axis' }))
    const step = minutes % 5 === 0 && minutes > 5 ? (n * 5) / minutes : n / 5
    for (let at = n - step; at > 0.5; at -= step) chart.append(svg('rect', { x: at * 10, y: 0, width: 0.6, height: 40, class: 'grid' }))
    for (let i = 0; i < n; i++) {
      const calls = d.calls[i]
      if (!calls) continue
      const height = Math.max(2, (calls / max) * 38)
      const errorHeight = d.errors[i] ? Math.max(2, (d.errors[i] / max) * 38) : 0
      const group = svg('g', {})
      const tip = svg('title', {})
      const at = new Date(d.start + i * d.width)
      tip.textContent = `${at.toLocaleTimeString()}: ${count(calls)} calls, ${count(d.errors[i])} with errors`
      group.append(tip, svg('rect', { x: i * 10 + 1, y: 40 - height, width: 8, height, rx: 1.5, class: 'bar-calls' }))
      if (errorHeight) group.append(svg('rect', { x: i * 10 + 1, y: 40 - errorHeight, width: 8, height: errorHeight, rx: 1.5, class: 'bar-errors' }))
      chart.append(group)
    }
    const legend = document.createElement('div')
    legend.className = 'timeline-legend'
    legend.innerHTML = ''
    const left = document.createElement('span')
    left.textContent = `${minutes} min ago`
    const middle = document.createElement('span')
    middle.className = 'timeline-totals'
    middle.innerHTML = ''
    const dotCalls = document.createElement('i')
    dotCalls.className = 'dot calls'
    const dotErrors = document.createElement('i')
    dotErrors.className = 'dot errors'
    middle.append(dotCalls, ` ${count(total)} calls `, dotErrors, ` ${count(errors)} with errors`)
    const right = document.createElement('span')
    right.textContent = 'now'
    legend.append(left, middle, right)
    this.element.replaceChildren(chart, legend)
  }
}
