import type { ComponentSummary } from '../../../shared/domains/apps';
import { ExternalLink } from '../../components/AppCard';

/** Where a component answers: the server edge's public URLs where it serves it, else the tunnel's URL. */
export function ComponentUrl({ component }: { component: ComponentSummary }) {
  if (component.publicUrls?.length) {
    return (
      <span className="card-public-urls" data-testid="component-public-urls">
        {component.publicUrls.map((url) => (
          <ExternalLink key={url} url={url} className="public-url" testId="component-public-url" />
        ))}
      </span>
    );
  }
  if (component.url) return <ExternalLink url={component.url} />;
  return <span className="muted">{component.kind === 'service' ? 'after the first deploy' : '—'}</span>;
}
