/**
 * Puts `token` where the caret (or selection) of `element` is, through `onChange`, then focuses the
 * field with the caret after the token, or `caretBack` characters before its end.
 */
export function insertAtCaret(
  element: HTMLTextAreaElement | null,
  value: string,
  token: string,
  onChange: (next: string) => void,
  caretBack = 0,
): void {
  const start = element?.selectionStart ?? value.length
  const end = element?.selectionEnd ?? start
  onChange(value.slice(0, start) + token + value.slice(end))
  const caret = start + token.length - caretBack
  requestAnimationFrame(() => {
    element?.focus()
    element?.setSelectionRange(caret, caret)
  })
}
