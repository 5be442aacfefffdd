import { useImperativeHandle, useRef, useState, type ClipboardEvent, type ReactNode, type Ref, type SyntheticEvent } from 'react'
import { Bold, Italic, Link2, List, ListOrdered, Underline } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { safeHref, sanitizeHtml } from '../../sanitize-html'

export type RichTextHandle = {
  /** The content, already reduced to the allowed tags. */
  getHtml: () => string
  clear: () => void
  focus: () => void
}

type Props = {
  label: string
  placeholder: string
  onEmptyChange: (empty: boolean) => void
  ref?: Ref<RichTextHandle>
  testId?: string
}

/** Shared by the editor and the rendered notes: Tailwind's reset removes list bullets and link looks. */
export const RICH_TEXT_CLASS =
  '[&_a]:text-emerald-700 [&_a]:underline [&_ol]:list-decimal [&_ol]:pl-5 [&_ul]:list-disc [&_ul]:pl-5 [&_p]:my-1 [&_blockquote]:border-l-2 [&_blockquote]:pl-2'

// document.execCommand is deprecated but still the only built-in way to format a selection,
// and every browser keeps it; a missing one (jsdom) just leaves the text plain.
function exec(command: string, value?: string): void {
  if (typeof document.execCommand === 'function') document.execCommand(command, false, value)
}

function insertPlainText(text: string): void {
  if (typeof document.execCommand === 'function' && document.execCommand('insertText', false, text)) return
  const selection = window.getSelection()
  if (!selection?.rangeCount) return
  const range = selection.getRangeAt(0)
  range.deleteContents()
  range.insertNode(document.createTextNode(text))
  range.collapse(false)
}

/**
 * A small contentEditable editor (bold, italic, underline, lists, links). Pasted and dropped
 * content arrives as plain text, so foreign markup never enters; what leaves goes through the
 * same allow-list the server applies.
 */
export function RichTextEditor({ label, placeholder, onEmptyChange, ref, testId }: Props) {
  const t = useT()
  const editor = useRef<HTMLDivElement>(null)
  const savedRange = useRef<Range | null>(null)
  const [linking, setLinking] = useState(false)
  const [empty, setEmpty] = useState(true)

  function sync() {
    const next = !(editor.current?.textContent ?? '').trim()
    setEmpty(next)
    onEmptyChange(next)
  }

  useImperativeHandle(ref, () => ({
    getHtml: () => sanitizeHtml(editor.current?.innerHTML ?? ''),
    clear: () => {
      if (editor.current) editor.current.innerHTML = ''
      sync()
    },
    focus: () => editor.current?.focus(),
  }))

  function run(command: string) {
    editor.current?.focus()
    exec(command)
    sync()
  }

  function startLink() {
    const selection = window.getSelection()
    savedRange.current = selection?.rangeCount && editor.current?.contains(selection.anchorNode) ? selection.getRangeAt(0).cloneRange() : null
    setLinking(true)
  }

  function applyLink(url: string) {
    setLinking(false)
    editor.current?.focus()
    const range = savedRange.current
    if (range) {
      const selection = window.getSelection()
      selection?.removeAllRanges()
      selection?.addRange(range)
    }
    if (range && !range.collapsed) exec('createLink', url)
    else insertLinkText(url)
    sync()
  }

  function onPaste(event: ClipboardEvent<HTMLDivElement>) {
    event.preventDefault()
    insertPlainText(event.clipboardData.getData('text/plain'))
    sync()
  }

  return (
    <div className="grid gap-0 rounded-md border border-slate-300 bg-white shadow-sm focus-within:ring-2 focus-within:ring-emerald-600">
      <div role="toolbar" aria-label={t('deals.editor.toolbar')} className="flex flex-wrap items-center gap-0.5 border-b border-slate-200 p-1">
        <ToolButton label={t('deals.editor.bold')} onRun={() => run('bold')}>
          <Bold aria-hidden />
        </ToolButton>
        <ToolButton label={t('deals.editor.italic')} onRun={() => run('italic')}>
          <Italic aria-hidden />
        </ToolButton>
        <ToolButton label={t('deals.editor.underline')} onRun={() => run('underline')}>
          <Underline aria-hidden />
        </ToolButton>
        <ToolButton label={t('deals.editor.bulletList')} onRun={() => run('insertUnorderedList')}>
          <List aria-hidden />
        </ToolButton>
        <ToolButton label={t('deals.editor.numberedList')} onRun={() => run('insertOrderedList')}>
          <ListOrdered aria-hidden />
        </ToolButton>
        <ToolButton label={t('deals.editor.link')} onRun={startLink} pressed={linking}>
          <Link2 aria-hidden />
        </ToolButton>
      </div>
      {linking && <LinkForm onApply={applyLink} onCancel={() => setLinking(false)} />}
      <div className="relative">
        {empty && <p className="pointer-events-none absolute top-2 left-3 text-sm text-slate-400" aria-hidden>{placeholder}</p>}
        <div
          ref={editor}
          contentEditable
          suppressContentEditableWarning
          role="textbox"
          aria-multiline="true"
          aria-label={label}
          tabIndex={0}
          className={cn('min-h-24 px-3 py-2 text-sm focus:outline-none', RICH_TEXT_CLASS)}
          onInput={sync}
          onPaste={onPaste}
          onDrop={(event) => event.preventDefault()}
          data-testid={testId}
        />
      </div>
    </div>
  )
}

/** No selection to wrap: the address itself becomes the link's text. */
function insertLinkText(url: string) {
  const selection = window.getSelection()
  if (!selection?.rangeCount) return
  const link = document.createElement('a')
  link.href = url
  link.textContent = url
  const range = selection.getRangeAt(0)
  range.insertNode(link)
  range.setStartAfter(link)
  range.collapse(true)
}

function ToolButton({ label, onRun, pressed, children }: { label: string; onRun: () => void; pressed?: boolean; children: ReactNode }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="icon"
      className="size-7"
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      // Keeps the editor's selection: a focused button would take it away.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onRun}
    >
      {children}
    </Button>
  )
}

function LinkForm({ onApply, onCancel }: { onApply: (url: string) => void; onCancel: () => void }) {
  const t = useT()
  const [url, setUrl] = useState('')
  const [invalid, setInvalid] = useState(false)

  function submit(event: SyntheticEvent) {
    event.preventDefault()
    event.stopPropagation()
    const typed = url.trim()
    const href = safeHref(/^[a-z][a-z0-9+.-]*:/i.test(typed) ? typed : `https://${typed}`)
    if (!typed || !href) {
      setInvalid(true)
      return
    }
    onApply(href)
  }

  // Not a <form>: the editor already sits inside the note's form.
  return (
    <div className="flex items-center gap-2 border-b border-slate-200 p-2">
      <Input
        value={url}
        onChange={(event) => {
          setUrl(event.target.value)
          setInvalid(false)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') submit(event)
          if (event.key === 'Escape') {
            event.stopPropagation()
            onCancel()
          }
        }}
        placeholder="https://"
        aria-label={t('deals.editor.linkUrl')}
        aria-invalid={invalid || undefined}
        autoFocus
        className="h-8"
      />
      <Button type="button" size="sm" onClick={submit}>
        {t('deals.editor.linkApply')}
      </Button>
      <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </div>
  )
}
