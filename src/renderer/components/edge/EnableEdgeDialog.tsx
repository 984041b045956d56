import { useState } from 'react';
import type { EdgeTls, ServerEdgeStatus } from '../../../shared/domains/servers';
import { useClient } from '../../client';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction } from '../dialogs/common';
import {
  EDGE_FORM_DEFAULTS,
  edgeFormProblems,
  edgeRequest,
  refusedField,
  type EdgeForm,
  type EdgeFormField,
} from './edge-form';

const TLS_LABEL: Record<EdgeTls, string> = {
  acme: "Let's Encrypt (ACME)",
  internal: "Caddy's own CA (internal)",
  off: 'Off: HTTP only',
};

function Field({
  label,
  field,
  value,
  problem,
  onChange,
  hint,
}: {
  label: string;
  field: EdgeFormField;
  value: string;
  problem: string | undefined;
  onChange(value: string): void;
  hint?: string;
}) {
  const problemId = `edge-${field}-problem`;
  return (
    <label className="field">
      <span>{label}</span>
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        data-testid={`edge-${field}`}
      />
      {problem ? (
        <span className="field-hint field-error" id={problemId} data-testid={`edge-${field}-problem`}>
          {problem}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  );
}

/** Asks for the edge's ports, bind address and TLS mode, then runs Caddy on the server. */
export function EnableEdgeDialog({
  server,
  onEnabled,
  onClose,
}: {
  server: string;
  onEnabled(status: ServerEdgeStatus): void;
  onClose(): void;
}) {
  const client = useClient();
  const { busy, error, run } = useAction();
  const [form, setForm] = useState<EdgeForm>(EDGE_FORM_DEFAULTS);
  const [refused, setRefused] = useState<{ field: EdgeFormField; message: string } | null>(null);
  const [tried, setTried] = useState(false);
  const problems = tried ? edgeFormProblems(form) : {};
  const set = (patch: Partial<EdgeForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setRefused(null);
  };
  const problemOf = (field: EdgeFormField) =>
    problems[field] ?? (refused?.field === field ? refused.message : undefined);

  const enable = async () => {
    setTried(true);
    if (Object.keys(edgeFormProblems(form)).length > 0) return;
    const status = await run(async () => {
      try {
        return await client.servers.edgeEnable({ name: server, ...edgeRequest(form) });
      } catch (err) {
        const field = refusedField(err, form);
        if (field) setRefused({ field, message: (err as Error).message });
        throw err;
      }
    });
    if (status) onEnabled(status);
  };

  return (
    <Dialog
      title={`Enable the edge on ${server}?`}
      lead="Slipway runs Caddy in one container on the server, serving the domains: of its apps on these ports."
      onClose={onClose}
      testId="enable-edge-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void enable()}
            data-testid="confirm"
          >
            {busy ? 'Enabling…' : 'Enable edge'}
          </button>
        </>
      }
    >
      <div className="field-row field-row-even">
        <Field
          label="HTTP port"
          field="httpPort"
          value={form.httpPort}
          problem={problemOf('httpPort')}
          onChange={(httpPort) => set({ httpPort })}
        />
        <Field
          label="HTTPS port"
          field="httpsPort"
          value={form.httpsPort}
          problem={problemOf('httpsPort')}
          onChange={(httpsPort) => set({ httpsPort })}
        />
      </div>
      <Field
        label="Bind address"
        field="bind"
        value={form.bind}
        problem={problemOf('bind')}
        onChange={(bind) => set({ bind })}
        hint="0.0.0.0 serves the world; 127.0.0.1 only the server itself."
      />
      <label className="field">
        <span>TLS</span>
        <select
          value={form.tls}
          onChange={(event) => set({ tls: event.target.value as EdgeTls })}
          data-testid="edge-tls"
        >
          {(Object.keys(TLS_LABEL) as EdgeTls[]).map((tls) => (
            <option key={tls} value={tls}>
              {TLS_LABEL[tls]}
            </option>
          ))}
        </select>
      </label>
      {form.tls === 'acme' ? (
        <Field
          label="ACME email (optional)"
          field="acmeEmail"
          value={form.acmeEmail}
          problem={problemOf('acmeEmail')}
          onChange={(acmeEmail) => set({ acmeEmail })}
          hint="Let's Encrypt writes here about expiring certificates."
        />
      ) : null}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
