import { useParams } from 'react-router'
import { FunnelsPage } from '@/features/funnels/components/funnels-page'

export default function FunnelsRoute() {
  const { funnelId } = useParams()
  return <FunnelsPage funnelId={funnelId} />
}
