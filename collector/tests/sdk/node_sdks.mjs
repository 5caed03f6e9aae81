// Sends a realistic set of calls through an official Node SDK, unchanged,
// to a collector.
//
//   COLLECTOR=http://127.0.0.1:PORT SDK=customerio|segment node node_sdks.mjs
//
// env:
//   COLLECTOR   base URL of the collector (required). A path in it is kept:
//               http://127.0.0.1:PORT/x  ->  POST /x/v1/batch
//   SDK         customerio (@customerio/cdp-analytics-node) or
//               segment (@segment/analytics-node)              [customerio]
//   PREFIX      extra path prefix before /v1/batch, e.g. /api       ['']
//   WRITE_KEY   write key                          [test-write-key]
//   SDK_MODULES folder whose node_modules holds the SDKs (npm install --prefix)
//               [this script's folder]
//
// Both SDKs build the URL as new URL(path, host): a path in `host` is
// dropped, so any prefix must go in the `path` option, as done here.
//
// Prints one JSON line: {"sdk", "sent": {type: n}, "messageIds": [...],
// "requests": n, "failed": n, "broken": {...}} and exits 0 when every call was
// delivered (2xx), 1 otherwise.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const modules = process.env.SDK_MODULES || here
const require = createRequire(path.join(modules, 'package.json'))

const collector = process.env.COLLECTOR
if (!collector) {
  console.error('COLLECTOR is required, e.g. http://127.0.0.1:8787')
  process.exit(2)
}
const sdk = process.env.SDK || 'customerio'
const writeKey = process.env.WRITE_KEY || 'test-write-key'
const prefix = (process.env.PREFIX || '').replace(/\/+$/, '')

const base = new URL(collector)
const host = base.origin
const batchPath = `${base.pathname.replace(/\/+$/, '')}${prefix}/v1/batch`

let Analytics
if (sdk === 'customerio') {
  ;({ Analytics } = require('@customerio/cdp-analytics-node'))
} else if (sdk === 'segment') {
  ;({ Analytics } = require('@segment/analytics-node'))
} else {
  console.error(`unknown SDK ${sdk}: use customerio or segment`)
  process.exit(2)
}

const common = { writeKey, host, path: batchPath, flushInterval: 200, maxRetries: 2 }
const analytics =
  sdk === 'customerio'
    ? new Analytics({ ...common, maxEventsInBatch: 20 })
    : new Analytics({ ...common, flushAt: 20 })

let requests = 0
let badResponses = 0
analytics.on('http_request', () => requests++)
analytics.on('http_response', (r) => {
  if (r.status < 200 || r.status >= 300) badResponses++
})

const sent = {}
const messageIds = []
const failures = []
const pending = []

function call(type, args) {
  sent[type] = (sent[type] || 0) + 1
  pending.push(
    new Promise((resolve) => {
      analytics[type](args, (err, ctx) => {
        if (err) failures.push({ type, error: String(err?.reason ?? err?.message ?? err) })
        if (ctx?.event?.messageId) messageIds.push(ctx.event.messageId)
        resolve()
      })
    })
  )
}

const userId = '97980cfea0067'
const anonymousId = 'anon-5f1c2d'

call('identify', {
  userId,
  anonymousId,
  traits: { email: 'peter@example.com', name: 'Peter Gibbons', plan: 'premium', logins: 5 },
  context: { ip: '203.0.113.7' },
})
call('track', {
  userId,
  event: 'Course Enrolled',
  properties: { class_name: 'Basics', class_code: 'cio101', level: 'beginner', start_date: 1679410730 },
})
call('page', {
  userId,
  category: 'Docs',
  name: 'Pricing',
  properties: { url: 'https://example.com/pricing', path: '/pricing', title: 'Pricing' },
})
if (typeof analytics.screen === 'function') {
  call('screen', { userId, name: 'Home', properties: { variation: 'blue' } })
}
call('group', { userId, groupId: 'acme-0042', traits: { name: 'Acme Inc', industry: 'Technology', employees: 120 } })
call('alias', { userId, previousId: anonymousId })
// The one deliberately broken call: the SDK lets it through, the validator
// flags it as reserved-type (CDP107): `revenue` must be a number, not "12.99".
const broken = { type: 'track', event: 'Order Completed', field: 'properties.revenue', value: '12.99', rule: 'reserved-type (CDP107)' }
call('track', { userId, event: 'Order Completed', properties: { revenue: '12.99', currency: 'USD', order_id: 'ord-1' } })

await Promise.all(pending)
await analytics.closeAndFlush({ timeout: 15000 })

const summary = {
  sdk: sdk === 'customerio' ? '@customerio/cdp-analytics-node' : '@segment/analytics-node',
  url: `${host}${batchPath}`,
  sent,
  total: Object.values(sent).reduce((a, b) => a + b, 0),
  messageIds,
  requests,
  failed: failures.length + badResponses,
  failures,
  broken,
}
console.log(JSON.stringify(summary))
process.exit(summary.failed ? 1 : 0)
