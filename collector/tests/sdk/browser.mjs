// Drives an official browser SDK, unchanged, in headless Debian Chromium
// against a collector.
//
//   COLLECTOR=http://127.0.0.1:PORT SDK=segment|customerio node browser.mjs
//
// env:
//   COLLECTOR   collector base URL (required); requests to its origin are
//               the ones counted.
//   CDN_URL     the SDK's cdnURL [COLLECTOR]. The SDK GETs
//               {CDN_URL}/v1/projects/{WRITE_KEY}/settings and sends events
//               where that settings JSON's apiHost says. The settings must
//               name ONE integration, "Segment.io" for analytics-next or
//               "Customer.io Data Pipelines" for Customer.io, so a collector
//               that serves both tells them apart by the cdnURL path, e.g.
//               CDN_URL=http://127.0.0.1:PORT/customerio.
//   SDK         segment (@segment/analytics-next) or customerio
//               (@customerio/cdp-analytics-browser)             [segment]
//   WRITE_KEY   [test-write-key]
//   DELIVERY    standard (one POST per call to /v1/{i,t,p,s,g,a}) or
//               batching (POST /v1/b)                           [standard]
//   CHROMIUM    [/usr/bin/chromium]
//   SDK_MODULES folder whose node_modules holds the SDKs and playwright-core
//               [this script's folder]
//   TIMEOUT_MS  [20000]
//
// A static server on 127.0.0.1:<random port> (node:http, in this process)
// serves browser.html and /sdk/{segment,customerio}/* from the packages'
// dist/umd/. The driver waits until the collector has answered 2xx for as
// many events as were sent, then prints one JSON line and exits 0 (1 on a
// timeout, a failed request or a page error).
import { createRequire } from 'node:module'
import http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const modules = process.env.SDK_MODULES || here
const require = createRequire(path.join(modules, 'package.json'))

const collector = (process.env.COLLECTOR || '').replace(/\/+$/, '')
if (!collector) {
  console.error('COLLECTOR is required, e.g. http://127.0.0.1:8787')
  process.exit(2)
}
const sdk = process.env.SDK || 'segment'
const cdnURL = (process.env.CDN_URL || collector).replace(/\/+$/, '')
const writeKey = process.env.WRITE_KEY || 'test-write-key'
const delivery = process.env.DELIVERY || 'standard'
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium'
const timeoutMs = Number(process.env.TIMEOUT_MS || 20000)

const pkg = { segment: '@segment/analytics-next', customerio: '@customerio/cdp-analytics-browser' }
if (!pkg[sdk]) {
  console.error(`unknown SDK ${sdk}: use segment or customerio`)
  process.exit(2)
}
const umdDir = (name) => path.join(path.dirname(require.resolve(`${name}/package.json`)), 'dist', 'umd')
const sdkDirs = { segment: umdDir(pkg.segment), customerio: umdDir(pkg.customerio) }
const { chromium } = require('playwright-core')

// --- static server for the page and the SDK bundle -------------------------
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  let file
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end()
    return
  }
  if (url.pathname === '/' || url.pathname === '/browser.html') {
    file = path.join(here, 'browser.html')
  } else {
    const m = url.pathname.match(/^\/sdk\/(segment|customerio)\/([\w.\-]+\.js)$/)
    if (m) file = path.join(sdkDirs[m[1]], m[2])
  }
  if (!file || !fs.existsSync(file)) {
    res.writeHead(404).end()
    return
  }
  const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/javascript'
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' })
  fs.createReadStream(file).pipe(res)
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const pageOrigin = `http://127.0.0.1:${server.address().port}`

// --- browser -----------------------------------------------------------------
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdpspec-chromium-'))
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})

const requests = [] // every request the page made to the collector
const problems = []
let deliveredEvents = 0
const collectorOrigin = new URL(collector).origin

function eventsIn(postData) {
  try {
    const body = JSON.parse(postData)
    return Array.isArray(body.batch) ? body.batch.length : 1
  } catch {
    return 0
  }
}

let finished = false
const page = context.pages()[0] ?? (await context.newPage())
page.on('console', (m) => {
  if (m.type() === 'error') problems.push(`console: ${m.text()}`)
})
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
page.on('requestfailed', (r) => {
  if (!finished) problems.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`)
})
page.on('requestfinished', async (r) => {
  if (!r.url().startsWith(collectorOrigin)) return
  const resp = await r.response()
  const status = resp ? resp.status() : 0
  const entry = { method: r.method(), url: r.url(), status, contentType: r.headers()['content-type'] }
  requests.push(entry)
  if (r.method() === 'POST') {
    if (status >= 200 && status < 300) deliveredEvents += eventsIn(r.postData() ?? '')
    else problems.push(`POST ${r.url()} answered ${status}`)
  }
})

const qs = new URLSearchParams({ sdk, cdn: cdnURL, writeKey, delivery })
await page.goto(`${pageOrigin}/browser.html?${qs}`)

const deadline = Date.now() + timeoutMs
let state
for (;;) {
  state = await page.evaluate(() => window.__driver)
  const total = state ? Object.values(state.sent).reduce((a, b) => a + b, 0) : 0
  if (state?.done && (state.errors.length || deliveredEvents >= total)) break
  if (Date.now() > deadline) {
    problems.push(`timeout: ${deliveredEvents} of ${total} events delivered`)
    break
  }
  await new Promise((r) => setTimeout(r, 100))
}
finished = true

const total = Object.values(state?.sent ?? {}).reduce((a, b) => a + b, 0)
const summary = {
  sdk: pkg[sdk],
  page: pageOrigin,
  cdnURL,
  delivery,
  sent: state?.sent ?? {},
  total,
  delivered: deliveredEvents,
  messageIds: state?.messageIds ?? [],
  requests,
  failed: (state?.errors.length ?? 1) + problems.length,
  errors: [...(state?.errors ?? []), ...problems],
  broken: { type: 'track', event: 'Order Completed', field: 'properties.revenue', value: '12.99', rule: 'reserved-type (CDP107)' },
}
await context.close()
server.close()
fs.rmSync(userDataDir, { recursive: true, force: true })
console.log(JSON.stringify(summary))
process.exit(summary.failed ? 1 : 0)
