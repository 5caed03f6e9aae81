// Drives the inspector (the page cdpspec serve shows at /) in headless Debian Chromium, and
// checks what a person sees: rows and statuses, each violation under the line of its field,
// filters, live arrival, pause, the summary against the plan, keyboard use, a tag's page,
// reset; and that the page loads nothing from anywhere but the collector.
//
//   COLLECTOR=http://127.0.0.1:PORT node inspector.mjs
//
// env:
//   COLLECTOR    a collector started with examples/plan/courses.yaml and --destination
//                customerio, holding no calls (required)
//   NO_UI        a collector started with --no-ui: its / must answer 404
//   MODE         ui (the checks above) or perf (open the page over the calls the collector
//                holds, and time the first list, filter changes and the next page) [ui]
//   SCREENSHOTS  a folder to save screenshots of the main views in             [none]
//   CHROMIUM     [/usr/bin/chromium]
//   SDK_MODULES  folder whose node_modules holds playwright-core             [this folder]
//
// Prints one JSON line (what was checked, and timings) and exits 0; on a failed check, prints
// it and exits 1.
import { createRequire } from 'node:module'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(process.env.SDK_MODULES || here, 'package.json'))
const { chromium } = require('playwright-core')

const collector = (process.env.COLLECTOR || '').replace(/\/+$/, '')
if (!collector) {
  console.error('COLLECTOR is required')
  process.exit(2)
}
const mode = process.env.MODE || 'ui'
const shots = process.env.SCREENSHOTS || ''
const checked = []
const pageErrors = [] // every page's errors, shown when a check fails

function check(condition, what, detail = '') {
  if (!condition) throw new Error(`FAILED: ${what}${detail ? `: ${detail}` : ''}`)
  checked.push(what)
}

/** Sends a call (or batch) to the collector, under `tag` when given. */
async function send(endpoint, body, { tag, key = 'web-key' } = {}) {
  const prefix = tag ? `/t/${tag}` : ''
  const response = await fetch(`${collector}${prefix}/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
    body: JSON.stringify(body),
  })
  if (response.status !== 200) throw new Error(`sending to /v1/${endpoint}: ${response.status} ${await response.text()}`)
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
})

/** A page in a fresh context; every request it makes is recorded, and page errors fail the run. */
async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, ...options })
  const page = await context.newPage()
  page.requests = []
  page.errors = []
  page.on('request', (r) => page.requests.push(r.url()))
  page.on('pageerror', (e) => {
    page.errors.push(String(e))
    pageErrors.push(String(e))
  })
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    page.errors.push(m.text())
    pageErrors.push(m.text())
  })
  const response = await page.goto(url)
  page.response = response
  return page
}

async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 })
}

async function shot(page, name) {
  if (!shots) return
  await page.waitForFunction(() => !document.querySelector('#toast').classList.contains('shown'))
  fs.mkdirSync(shots, { recursive: true })
  await page.screenshot({ path: path.join(shots, `${name}.png`) })
}

const rowLabels = (page) => page.$$eval('#list a.row .label', (els) => els.map((e) => e.textContent))
const rowOf = (page, label) => page.locator('#list a.row', { has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) })

async function ui() {
  // --- calls with known violations -------------------------------------------------------
  const context = { library: { name: 'analytics.js', version: '1.84.3' }, page: { url: 'https://courses.example.com/checkout' } }
  await send('identify', { userId: 'u-8842', traits: { email: 'ada@example.com', first_name: 'Ada', plan: 'premium' }, context })
  await send('page', { userId: 'u-8842', name: 'home', properties: { url: 'https://courses.example.com/' }, context })
  await send('track', { userId: 'u-8842', event: 'Course Enrolled', properties: { class_name: 'Rust for data teams', class_code: 'cio101' }, context })
  await send('batch', {
    batch: [
      { type: 'track', userId: 'u-8842', event: 'Course Enrolled', properties: { class_name: 'Intro to SQL' }, context },
      { type: 'track', userId: 'u-8842', event: 'Video Played', properties: { video_id: 'v-77', position: 31 }, context },
      { type: 'identify', userId: 8842, traits: { first_name: 'Ada' }, context },
    ],
  })
  await send('track', { userId: 'u-8842', event: 'Order Completed', properties: { order_id: 'o-1009', revenue: '12.99', currency: 'USD' }, context })
  await send('track', { anonymousId: 'anon-5c1f', event: 'Checkout Started', properties: { cart_size: 2 }, context }, { tag: 'checkout' })
  await send('group', { userId: 'u-8842', traits: { name: 'Initech' }, context })
  let sent = 9

  const page = await open(`${collector}/`, { permissions: ['clipboard-read', 'clipboard-write'] })
  check(page.response.status() === 200, 'the page is served at /')
  await ready(page)
  await page.waitForFunction((n) => document.querySelectorAll('#list a.row').length === n, sent)
  const labels = await rowLabels(page)
  check(labels.length === sent, 'every call is a row', JSON.stringify(labels))
  check(labels[1] === 'Checkout Started' && labels[sent - 1] === '', 'newest first', JSON.stringify(labels))
  const status = async (label) => (await rowOf(page, label).first().getAttribute('class')).match(/status-(\w+)/)[1]
  check((await status('Order Completed')) === 'errors', 'a call with errors is marked errors')
  check((await status('Video Played')) === 'errors', 'an unplanned event is marked errors')
  check((await status('Checkout Started')) === 'errors', 'a tagged unplanned event is marked errors')
  const warned = await page.locator('#list a.row.status-warnings .who').allTextContents()
  check(warned.includes('8842'), 'a numeric userId is marked warnings', JSON.stringify(warned))
  const problem = await rowOf(page, 'Order Completed').locator('.problem').textContent()
  check(problem.includes('CDP107'), "a row shows its first problem's code", problem)
  check((await rowOf(page, 'Checkout Started').locator('.chip.tag').textContent()) === 'checkout', 'a row shows its tag')
  check((await page.textContent('#n-errors')) === '5' && (await page.textContent('#n-all')) === String(sent), 'counts per status', await page.textContent('#status-filter'))

  // --- the detail: each violation under the line of its field -----------------------------
  await rowOf(page, 'Order Completed').click()
  await page.waitForSelector('.detail .code')
  const flagged = page.locator('.detail .line.flagged[data-pointer="/properties/revenue"]')
  check((await flagged.count()) === 1, 'the revenue line is flagged')
  check((await flagged.textContent()).includes('"revenue": "12.99"'), 'the flagged line is the revenue field', await flagged.textContent())
  const note = page.locator('.detail .line.flagged[data-pointer="/properties/revenue"] + .notes .note')
  const noteText = await note.first().textContent()
  check(noteText.includes('CDP107') && noteText.includes('reserved-type') && noteText.includes('12.99'), 'the note gives the rule, message and suggestion', noteText)
  const actions = await page.locator('.detail .action').allTextContents()
  check(actions.some((a) => a.includes('Track Event')), 'destination actions are shown', JSON.stringify(actions))
  await shot(page, 'inspector-calls')
  await note.first().locator('a.rule-link').click()
  await page.waitForSelector('#rule-dialog[open]')
  const doc = await page.textContent('#rule-dialog')
  check(doc.includes('reserved-type') && doc.includes('Passes'), 'the rule code opens its documentation', doc.slice(0, 200))
  await page.keyboard.press('Escape')
  await page.waitForSelector('#rule-dialog', { state: 'hidden' })

  // Copy curl gives a command that sends the call again: run it, and it arrives.
  await page.click('.detail-tools button:has-text("Copy curl")')
  const command = await page.evaluate(() => navigator.clipboard.readText())
  check(command.startsWith(`curl -sS -X POST '${collector}/v1/track'`) && command.includes('-u \'web-key:\'') && !command.includes('receivedAt'), 'Copy curl gives a command for this collector', command)
  const rowsBefore = await page.locator('#list a.row').count()
  execFileSync('sh', ['-c', command])
  sent++
  await page.waitForFunction((n) => document.querySelectorAll('#list a.row').length === n + 1, rowsBefore, { timeout: 10000 })
  check((await rowLabels(page))[0] === 'Order Completed' && (await page.locator('#list a.row').first().getAttribute('class')).includes('status-errors'), 'the curl command replays the call')
  await page.click('.detail-tools button:has-text("Copy JSON")')
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))
  check(copied.properties.revenue === '12.99' && copied.event === 'Order Completed', 'Copy JSON gives the call')

  // An action whose mapping fails names the fields that did not resolve.
  await rowOf(page, '').filter({ has: page.locator('.type-group') }).click()
  await page.waitForSelector('.detail .action.failed')
  const failedAction = await page.textContent('.detail .action.failed')
  check(failedAction.includes('Create or Update Object') && failedAction.includes('Mapping failed') && failedAction.includes('id'), 'a failed mapping names the fields that did not resolve', failedAction)

  // A field the plan requires and the call lacks is shown at the object that lacks it.
  await rowOf(page, 'Course Enrolled').nth(0).click()
  await page.waitForSelector('.detail .notes')
  const missingAt = await page.locator('.detail .line.flagged').first().getAttribute('data-pointer')
  const missingNote = await page.locator('.detail .notes').first().textContent()
  check(missingAt === '/properties' && missingNote.includes('required-missing') && missingNote.includes('class_code'), 'a missing required field is shown at its object', `${missingAt}: ${missingNote}`)

  // --- keyboard ----------------------------------------------------------------------------
  await page.locator('#list a.row').first().focus()
  const before = await page.getAttribute('#detail', 'data-id')
  await page.keyboard.press('j')
  await page.waitForFunction((id) => document.querySelector('#detail').dataset.id !== id, before)
  check((await page.locator('#list a.row[aria-selected="true"]').count()) === 1, 'j moves the selection and opens the call')
  await page.keyboard.press('/')
  check(await page.evaluate(() => document.activeElement.id === 'f-q'), '/ focuses the search')
  await page.keyboard.press('Tab')
  check(await page.evaluate(() => document.activeElement.matches('a.row[aria-selected="true"]')), 'Tab goes from the search to the selected call, one stop for the list')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.activeElement.matches('a.row[aria-selected="true"]') && document.querySelector('#detail').dataset.id === document.activeElement.dataset.id)
  check(true, 'arrows and Enter open the next call')
  await page.keyboard.press('/')
  await page.keyboard.press('Escape')

  // --- filters -----------------------------------------------------------------------------
  const filtered = async (action) => {
    const n = Number((await page.getAttribute('body', 'data-filtered')) || 0)
    await action()
    await page.waitForFunction((m) => Number(document.body.dataset.filtered || 0) > m, n)
  }
  await filtered(() => page.click('#status-filter button[data-status="errors"]'))
  const errorRows = await page.$$eval('#list a.row', (els) => els.map((e) => e.className))
  check(errorRows.length === 6 && errorRows.every((c) => c.includes('status-errors')), 'the status filter narrows the list', JSON.stringify(errorRows))
  await filtered(() => page.fill('#f-q', 'v-77'))
  check(JSON.stringify(await rowLabels(page)) === '["Video Played"]', 'free text narrows the list to the call holding it', JSON.stringify(await rowLabels(page)))
  check(page.url().includes('q=v-77') && page.url().includes('status=errors'), 'the filters are in the address')
  await filtered(() => page.click('#clear'))
  await filtered(() => page.selectOption('#f-type', 'identify'))
  check((await page.locator('#list a.row').count()) === 2, 'the type filter narrows the list', String(await page.locator('#list a.row').count()))
  await filtered(() => page.selectOption('#f-type', ''))

  // --- live arrival, without a reload ------------------------------------------------------
  await page.evaluate(() => (window.notReloaded = true))
  await send('track', { userId: 'u-8842', event: 'Course Completed', properties: { class_code: 'cio101' }, context })
  await rowOf(page, 'Course Completed').waitFor({ timeout: 10000 })
  check(await page.evaluate(() => window.notReloaded === true), 'a new call appears live, without a reload')
  check((await rowLabels(page))[0] === 'Course Completed', 'the new call is at the top')
  check((await page.textContent('#n-all')) === String(sent + 1), 'the counts follow live calls')

  // --- pause and resume ----------------------------------------------------------------------
  await page.click('#pause')
  await send('screen', { userId: 'u-8842', name: 'Lesson', properties: { session_started: 1733400000 }, context })
  await page.waitForSelector('#new-calls:not([hidden])', { timeout: 10000 })
  check((await rowOf(page, 'Lesson').count()) === 0, 'paused, a new call waits')
  await page.click('#pause')
  await rowOf(page, 'Lesson').waitFor({ timeout: 10000 })
  check(true, 'resumed, the waiting call is shown')

  // --- the summary -------------------------------------------------------------------------
  await page.click('#tab-summary')
  await page.waitForSelector('body[data-summary="ready"] #summary-view:not([hidden]) .plan-column')
  const never = await page.textContent('.plan-column.never')
  const unplanned = await page.textContent('.plan-column.unplanned')
  check(!never.includes('Order Completed') && !never.includes('Course Enrolled'), 'events that arrived are not listed as missing', never)
  const rulesText = await page.textContent('.rules-table')
  check(unplanned.includes('Video Played') && unplanned.includes('Course Completed') && unplanned.includes('Checkout Started'), 'unplanned events that arrived are listed', unplanned)
  check(rulesText.includes('unplanned-event') && rulesText.includes('reserved-type') && rulesText.includes('required-missing'), 'per-rule counts', rulesText)
  await shot(page, 'inspector-summary')
  await page.locator('.events-table a', { hasText: 'Video Played' }).click()
  await page.waitForFunction(() => !document.querySelector('#calls-view').hidden && document.querySelectorAll('#list a.row').length === 1)
  check(page.url().includes('event=Video+Played') || page.url().includes('event=Video%20Played'), 'an event in the summary links to its calls', page.url())

  // --- a tag's own page ----------------------------------------------------------------------
  const tagged = await open(`${collector}/t/checkout`) // no slash: the files are named from the root
  await ready(tagged)
  check(JSON.stringify(await rowLabels(tagged)) === '["Checkout Started"]', "a tag's page shows only its calls", JSON.stringify(await rowLabels(tagged)))
  await send('track', { userId: 'u-1', event: 'Not For This Tag' }, { tag: 'other' })
  await send('track', { anonymousId: 'anon-5c1f', event: 'Coupon Applied', properties: { code: 'SPRING' } }, { tag: 'checkout' })
  await rowOf(tagged, 'Coupon Applied').waitFor({ timeout: 10000 })
  check((await rowOf(tagged, 'Not For This Tag').count()) === 0, "a tag's page gets only its live calls")
  await tagged.context().close()

  // --- dark mode and a phone -------------------------------------------------------------------
  const orderId = await rowOf(page, 'Video Played').getAttribute('data-id').catch(() => null)
  const dark = await open(`${collector}/#calls?id=${orderId}`, { colorScheme: 'dark' })
  await ready(dark)
  await dark.waitForSelector('.detail .code')
  check(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor !== 'rgb(245, 246, 248)'), 'dark mode follows the system')
  await shot(dark, 'inspector-dark')
  await dark.context().close()

  const phone = await open(`${collector}/`, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
  await ready(phone)
  await shot(phone, 'inspector-phone')
  const width = await phone.evaluate(() => document.documentElement.scrollWidth)
  const wide = await phone.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id}`))
  check(width <= 390, 'nothing overflows a phone screen', `${width}: ${wide}`)
  await rowOf(phone, 'Order Completed').first().tap()
  await phone.waitForSelector('body.detail-open .detail .code')
  check(await phone.locator('.detail .back').isVisible(), 'on a phone the call opens full screen with a way back')
  await shot(phone, 'inspector-phone-detail')
  await phone.locator('.detail .back').tap()
  await phone.waitForSelector('body:not(.detail-open)')
  await phone.context().close()

  // --- reset -----------------------------------------------------------------------------------
  await page.click('#clear').catch(() => {})
  await page.click('#reset')
  await page.click('#reset-confirm')
  const emptied = await page
    .waitForFunction(() => document.querySelectorAll('#list a.row').length === 0 && !document.querySelector('#empty').hidden && document.querySelector('#n-all').textContent === '0', null, { timeout: 10000 })
    .then(() => true, () => false)
  check(emptied, 'reset empties the list and the counts')

  // --- offline: nothing but the collector --------------------------------------------------------
  const foreign = page.requests.filter((u) => !u.startsWith(collector) && !u.startsWith('data:'))
  check(foreign.length === 0, 'the page loads nothing from anywhere but the collector', JSON.stringify(foreign))
  check(page.errors.length === 0, 'no errors in the page', JSON.stringify(page.errors))
  await page.context().close()

  if (process.env.NO_UI) {
    const response = await fetch(`${process.env.NO_UI.replace(/\/+$/, '')}/`)
    check(response.status === 404, '--no-ui answers 404 at /')
  }
  return {}
}

async function perf() {
  const started = Date.now()
  const page = await open(`${collector}/`)
  await ready(page)
  const firstPage = Date.now() - started
  const first = await page.evaluate(() => window.inspector.lastLoad)
  const readyMs = await page.evaluate(() => Math.round(window.inspector.readyMs))
  const timing = await page.evaluate(() => ({
    started: Math.round(window.inspector.startedMs),
    resources: performance.getEntriesByType('resource').map((r) => `${r.name.replace(location.origin, '')} ${Math.round(r.startTime)}-${Math.round(r.responseEnd)}`),
  }))

  const rows = await page.locator('#list a.row').count()
  check(rows === 100 && first.count >= 100000, 'the page shows one page of the 100,000 calls', `${rows} rows of ${first.count}`)
  const timed = async (action) => {
    const n = Number((await page.getAttribute('body', 'data-filtered')) || 0)
    const t = Date.now()
    await action()
    await page.waitForFunction((m) => Number(document.body.dataset.filtered || 0) > m, n, { timeout: 60000 })
    return { wall: Date.now() - t, ...(await page.evaluate(() => window.inspector.lastFilter)) }
  }
  const errors = await timed(() => page.click('#status-filter button[data-status="errors"]'))
  const event = await timed(() => page.fill('#f-event', 'Order Completed'))
  const text = await timed(() => page.fill('#f-q', 'o-4242'))
  await timed(() => page.click('#clear'))
  // Scrolling pages on, and a call arriving.
  const t = Date.now()
  await page.locator('#list .sentinel').scrollIntoViewIfNeeded()
  await page.waitForFunction(() => document.querySelectorAll('#list a.row').length >= 200, null, { timeout: 60000 })
  const nextPage = Date.now() - t
  const heap = await page.evaluate(() => (performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : null))
  check(page.errors.length === 0, 'no errors in the page', JSON.stringify(page.errors))
  await page.context().close()
  return { firstPageMs: firstPage, readyMs, scriptStartMs: timing.started, requests: timing.resources, firstListMs: Math.round(first.ms), statusFilterMs: Math.round(errors.ms), eventFilterMs: Math.round(event.ms), textFilterMs: Math.round(text.ms), textFilterWallMs: text.wall, nextPageMs: nextPage, heapMB: heap }
}

try {
  const figures = mode === 'perf' ? await perf() : await ui()
  console.log(JSON.stringify({ ok: true, checked, ...figures }))
  await browser.close()
} catch (error) {
  console.log(JSON.stringify({ ok: false, checked, error: `${error.stack || error}\npage errors: ${JSON.stringify(pageErrors)}` }))
  await browser.close()
  process.exit(1)
}
