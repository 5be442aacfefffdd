import {
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type Dispatch,
  type KeyboardEvent,
  type RefObject,
  type SetStateAction,
  type SyntheticEvent,
} from 'react'
import { useQuery } from '@tanstack/react-query'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { quickRepliesQueryOptions, renderQuickReply, type QuickReply } from '../api/quick-replies'
import { findTrigger, matchReplies } from '../shortcut'

type Options = {
  conversationId: string
  text: string
  setText: Dispatch<SetStateAction<string>>
  textarea: RefObject<HTMLTextAreaElement | null>
}

export const optionId = (listId: string, index: number) => `${listId}-option-${index}`

/**
 * The `/shortcut` picker of the chat box: opens when a word starts with "/", filters as the user
 * types, and on a choice replaces the `/shortcut` with the reply rendered for the conversation.
 * The send box spreads `inputProps` on its textarea and asks `onKeyDown` first.
 */
export function useQuickReplyPicker({ conversationId, text, setText, textarea }: Options) {
  const t = useT()
  const listId = useId()
  // null while the textarea has no caret of ours (before typing, after a blur).
  const [caret, setCaret] = useState<number | null>(null)
  // The slash position of a trigger closed with Esc or already used: it stays closed.
  const [dismissed, setDismissed] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const [rendering, setRendering] = useState(false)
  const pendingCaret = useRef<number | null>(null)

  const trigger = caret === null ? null : findTrigger(text, Math.min(caret, text.length))
  const open = trigger !== null && trigger.start !== dismissed && !rendering
  // Loaded on the first "/" only, so conversations that never use it cost nothing.
  const replies = useQuery({ ...quickRepliesQueryOptions(), enabled: trigger !== null })
  const options = open && replies.data ? matchReplies(replies.data, trigger.query) : []
  const activeIndex = Math.min(active, Math.max(options.length - 1, 0))

  // Put the caret after the inserted reply once React has written the new text.
  useLayoutEffect(() => {
    const element = textarea.current
    if (pendingCaret.current === null || !element) return
    element.focus()
    element.setSelectionRange(pendingCaret.current, pendingCaret.current)
    pendingCaret.current = null
  }, [text, textarea])

  function track(value: string, position: number | null) {
    setCaret(position)
    const next = position === null ? null : findTrigger(value, position)
    if (next?.start !== dismissed) setDismissed(null)
  }

  function choose(reply: QuickReply) {
    if (!trigger) return
    const { start, end, query } = trigger
    setDismissed(start)
    setRendering(true)
    renderQuickReply(reply.id, { conversationId })
      .then((rendered) => {
        // The DOM holds the latest text, even if the user kept typing while the reply rendered.
        const value = textarea.current?.value ?? text
        if (value.slice(start, end) !== `/${query}`) return
        pendingCaret.current = start + rendered.length
        setCaret(pendingCaret.current)
        setText(value.slice(0, start) + rendered + value.slice(end))
      })
      .catch((error: unknown) => {
        toast(errorMessage(error, t), 'error')
        setDismissed(null) // open again, so the user can retry or pick another
      })
      .finally(() => setRendering(false))
  }

  /** True when the picker used the key (the send box must then ignore it). */
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
    if (!open || event.nativeEvent.isComposing) return false
    const count = options.length
    const pick = event.key === 'Tab' || (event.key === 'Enter' && !event.shiftKey)
    if (event.key === 'Escape') setDismissed(trigger.start)
    else if (count > 0 && event.key === 'ArrowDown') setActive((activeIndex + 1) % count)
    else if (count > 0 && event.key === 'ArrowUp') setActive((activeIndex - 1 + count) % count)
    else if (count > 0 && pick) choose(options[activeIndex])
    else return false
    event.preventDefault()
    return true
  }

  return {
    onKeyDown,
    inputProps: {
      onChange: (event: ChangeEvent<HTMLTextAreaElement>) => {
        setText(event.target.value)
        setActive(0)
        track(event.target.value, event.target.selectionStart)
      },
      // Caret moves by mouse or arrow keys open or close the picker as well.
      onSelect: (event: SyntheticEvent<HTMLTextAreaElement>) =>
        track(event.currentTarget.value, event.currentTarget.selectionStart),
      onBlur: () => setCaret(null),
      'aria-autocomplete': 'list' as const,
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open && options.length > 0 ? optionId(listId, activeIndex) : undefined,
    },
    picker: {
      open,
      listId,
      options,
      activeIndex,
      query: trigger?.query ?? '',
      state: replies.isError ? ('error' as const) : replies.isPending ? ('loading' as const) : ('ready' as const),
      empty: (replies.data?.length ?? 0) === 0,
      onChoose: choose,
      onHover: setActive,
    },
  }
}
