import type { ComponentProps } from 'react'
import { Slot } from 'radix-ui'
import { LoaderCircle } from 'lucide-react'
import { cn } from '@/lib/utils'
import { buttonVariants, type ButtonVariantProps } from './button-variants'

type ButtonProps = ComponentProps<'button'> &
  ButtonVariantProps & {
    asChild?: boolean
    /** Shows a spinner and disables the button while a request runs. */
    loading?: boolean
  }

export function Button({ className, variant, size, asChild, loading, disabled, children, ...props }: ButtonProps) {
  const Component = asChild ? Slot.Root : 'button'
  return (
    <Component
      className={cn(buttonVariants({ variant, size }), className)}
      disabled={disabled ?? loading}
      aria-busy={loading || undefined}
      {...props}
    >
      {loading && !asChild && <LoaderCircle className="animate-spin" aria-hidden />}
      {children}
    </Component>
  )
}
