// The server already sanitises notes; this is the browser's own guard, with the same allow-list,
// so nothing typed, pasted or stored is ever rendered as raw HTML.

const ALLOWED = new Set(['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3'])
// Whole subtrees whose text is not content either.
const DROPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math'])
const SAFE_HREF = /^(https?:|mailto:)/i

export function safeHref(href: string | null): string | null {
  const value = href?.trim() ?? ''
  return SAFE_HREF.test(value) ? value : null
}

function copyInto(source: Node, target: Node, doc: Document): void {
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.appendChild(doc.createTextNode(child.textContent ?? ''))
      continue
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue
    const element = child as Element
    const tag = element.tagName.toLowerCase()
    if (DROPPED.has(tag)) continue
    if (!ALLOWED.has(tag)) {
      // Unknown wrappers (div, span, font…) vanish but keep their text; a div is a line.
      copyInto(element, target, doc)
      if (tag === 'div') target.appendChild(doc.createElement('br'))
      continue
    }
    const clean = doc.createElement(tag)
    if (tag === 'a') {
      const href = safeHref(element.getAttribute('href'))
      if (href) clean.setAttribute('href', href)
      clean.setAttribute('rel', 'noopener noreferrer nofollow')
      clean.setAttribute('target', '_blank')
    }
    copyInto(element, clean, doc)
    target.appendChild(clean)
  }
}

/** Rebuilds the HTML from scratch keeping only allowed tags and safe links; no attribute survives. */
export function sanitizeHtml(html: string): string {
  // A parsed document is inert: no scripts run and no images load while we read it.
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html')
  const output = parsed.createElement('div')
  copyInto(parsed.body, output, parsed)
  return output.innerHTML.replace(/(<br>)+$/, '')
}

/** The note's plain text (the API's `content`, used for search and previews). */
export function htmlToText(html: string): string {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html')
  for (const element of Array.from(parsed.body.querySelectorAll('br'))) element.replaceWith('\n')
  for (const element of Array.from(parsed.body.querySelectorAll('p, li, div, h1, h2, h3, blockquote, pre'))) {
    element.append('\n')
  }
  return (parsed.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim()
}
