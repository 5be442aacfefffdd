import { useState } from 'react'
import { Check, Copy } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useT } from '@/lib/i18n'

async function copyText(text: string): Promise<boolean> {
  try {
    // Missing outside secure contexts (plain http on a LAN address), whatever the DOM types say.
    const clipboard = navigator.clipboard as Clipboard | undefined
    if (!clipboard) return false
    await clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** Copies `value`; when the browser refuses, the field next to it stays selectable by hand. */
export function CopyButton({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <Button
      type="button"
      variant="outline"
      size="icon"
      aria-label={state === 'copied' ? t('whatsapp.copied') : label}
      title={state === 'failed' ? t('whatsapp.copyFailed') : label}
      onClick={() => void copyText(value).then((copied) => setState(copied ? 'copied' : 'failed'))}
      data-testid={testId}
    >
      {state === 'copied' ? <Check aria-hidden className="text-emerald-600" /> : <Copy aria-hidden />}
    </Button>
  )
}
