import { createContext, useContext } from 'react'

/** What the canvas marks on nodes: the server's (or the pre-check's) problems, and a run's path. */
export type Decorations = { errors: ReadonlyMap<string, string[]>; visited: ReadonlySet<string> }

export const DecorationsContext = createContext<Decorations>({ errors: new Map(), visited: new Set() })

export const useDecorations = () => useContext(DecorationsContext)
