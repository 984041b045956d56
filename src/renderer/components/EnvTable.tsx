import type { AppSpec } from '../../shared/spec/app-spec';
import { Icon } from './Icons';

const SCOPE_LABEL = {
  RUN_TIME: 'Run time',
  BUILD_TIME: 'Build time',
  RUN_AND_BUILD_TIME: 'Build and run time',
} as const;

/**
 * The environment variables of each component (app-level ones merged in, as
 * they are deployed). Secret values never reach this window: the engine
 * sends a mask, and the table shows it as such.
 */
export function EnvTable({ spec }: { spec: AppSpec }) {
  const rows = spec.components.flatMap((c) => c.envs.map((env) => ({ component: c.name, env })));
  if (rows.length === 0) {
    return (
      <p className="muted">
        No environment variables. Add <code>envs</code> to the spec, per component or for the whole app.
      </p>
    );
  }
  return (
    <table className="table env-table" data-testid="env-table">
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
          <th scope="col">Scope</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ component, env }) => (
          <tr key={`${component}/${env.key}`} data-key={env.key} data-type={env.type}>
            <td>{component}</td>
            <td className="mono strong">{env.key}</td>
            <td className="mono env-value">
              {env.type === 'SECRET' ? (
                <span className="secret" title="Encrypted; the value is never sent to this window">
                  <Icon name="lock" /> <span aria-label="secret value, hidden">••••••••</span>
                  <span className="secret-tag">Secret</span>
                </span>
              ) : env.value === '' ? (
                <span className="muted">(empty)</span>
              ) : (
                env.value
              )}
            </td>
            <td>{SCOPE_LABEL[env.scope]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
