import { describe, expect, it } from 'vitest'
import { htmlToText, sanitizeHtml } from './sanitize-html'

describe('sanitizeHtml', () => {
  it('keeps the formatting tags and safe links, and nothing else', () => {
    expect(sanitizeHtml('<p><b>Oi</b> <i>a</i> <u>b</u></p><ul><li>um</li></ul><ol><li>dois</li></ol>')).toBe(
      '<p><b>Oi</b> <i>a</i> <u>b</u></p><ul><li>um</li></ul><ol><li>dois</li></ol>',
    )
    expect(sanitizeHtml('<a href="https://evo.ai" onclick="x()" style="color:red">site</a>')).toBe(
      '<a href="https://evo.ai" rel="noopener noreferrer nofollow" target="_blank">site</a>',
    )
  })

  it('drops scripts, handlers, dangerous links and foreign elements', () => {
    expect(sanitizeHtml('<img src=x onerror="alert(1)"><script>alert(2)</script>texto')).toBe('texto')
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a rel="noopener noreferrer nofollow" target="_blank">x</a>')
    expect(sanitizeHtml('<p style="x" class="y" id="z">a<span>b</span></p>')).toBe('<p>ab</p>')
    expect(sanitizeHtml('<div>linha 1</div><div>linha 2</div>')).toBe('linha 1<br>linha 2')
    expect(sanitizeHtml('<svg><a href="https://x">y</a></svg><iframe src="https://x"></iframe>')).toBe('')
  })

  it('derives the plain text of a note', () => {
    expect(htmlToText('<p>Olá <b>Ana</b></p><ul><li>um</li><li>dois</li></ul>')).toBe('Olá Ana\num\ndois')
  })
})
