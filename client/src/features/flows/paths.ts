export const FLOWS_PATH = '/automation/flows'
export const flowPath = (id: string) => `${FLOWS_PATH}/${encodeURIComponent(id)}`
export const newFlowPath = `${FLOWS_PATH}/new`
export const executionsPath = (id: string) => `${flowPath(id)}/executions`
