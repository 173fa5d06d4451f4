/* Material's search worker protocol, answered by Pagefind.
 *
 * Material's search UI talks to a web worker in four messages: SETUP (0) with the search
 * index, READY (1), QUERY (2) with what the reader typed, RESULT (3) with the documents found
 * (https://squidfunk.github.io/mkdocs-material/ "custom search"). This worker keeps that UI
 * and answers from the language's Pagefind bundle (<language root>/pagefind/): a chunked index
 * with Snowball stemming, so a reader downloads the chunks for the words typed and the
 * fragments of the first results, not the whole course. The offline bundles keep Material's
 * own worker and index (Pagefind needs fetch, which file:// does not allow).
 */
"use strict"

// The page passes its language's bundle and Material's base path (see theme/main.html).
const PAGE = new URLSearchParams(self.location.hash.slice(1))
const BUNDLE = new URL("pagefind.js", PAGE.get("bundle") || new URL("../../pagefind/", self.location)).href
const BASE = PAGE.get("base") || new URL("../../", self.location).pathname
const FIRST = 3        // results whose fragments are fetched before the first answer (a fragment is a whole page, 2-7 KB)
const MORE = 40        // then, unless the reader has typed on, up to this many in all
const SETTLE_MS = 150  // a query still standing after this long is searched

let pagefind = null
let ready = null       // settles when Pagefind has loaded: queries typed before wait for it
let latest = 0

function escape(text) {
  return String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/* Pagefind's query syntax differs from lunr's: drop lunr's operators and Spanish ¿¡. */
function words(query) {
  return query.replace(/[¿¡*+~^:"]/g, " ").replace(/(^|\s)-/g, "$1").trim()
}

function item(location, title, text, score) {
  return { location, title: escape(title), text: text ? `<p>${text}</p>` : "", score, terms: {} }
}

/* One Material result group: the page, then its sections (Pagefind's sub-results). */
function group(data, score, base) {
  const local = url => (url.startsWith(base) ? url.slice(base.length) : url.replace(/^\//, ""))
  const page = item(local(data.url), data.meta.title || data.url, data.excerpt, score)
  const sections = (data.sub_results || [])
    .filter(sub => sub.url !== data.url && sub.url.includes("#"))
    .map((sub, i) => item(local(sub.url), sub.title, sub.excerpt, score * (1 - (i + 1) / 100)))
  return [page, ...sections]
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function answer(id, query) {
  await sleep(SETTLE_MS)
  if (id !== latest || !ready) return
  await ready
  if (id !== latest) return
  const text = words(query)
  if (!text) return postMessage({ type: 3, data: { items: [] } })
  const found = await pagefind.search(text)
  if (id !== latest || !found) return
  const results = found.results
  const load = async slice => Promise.all(slice.map(async r => group(await r.data(), r.score, BASE)))
  const items = await load(results.slice(0, FIRST))
  if (id !== latest) return
  postMessage({ type: 3, data: { items } })
  if (results.length <= FIRST) return
  items.push(...await load(results.slice(FIRST, MORE)))
  if (id === latest) postMessage({ type: 3, data: { items } })
}

addEventListener("message", async event => {
  const message = event.data
  if (message.type === 0) {
    ready = (async () => {
      pagefind = await import(BUNDLE)
      await pagefind.options({ excerptLength: 24 })
      await pagefind.init()
    })()
    await ready
    postMessage({ type: 1 })
  } else if (message.type === 2) {
    latest += 1
    try {
      await answer(latest, message.data)
    } catch (err) {
      console.warn(`Search failed: ${message.data}`, err)
      postMessage({ type: 3, data: { items: [] } })
    }
  }
})
