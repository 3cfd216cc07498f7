/** The API reference, rendered from the server's own OpenAPI document (GET /docs/json). */
import { useState } from 'react';
import { readEnvelope } from '../api.ts';
import { Badge, Card, ErrorNote, PageHeader, Spinner } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';

interface Schema {
  type?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
  $ref?: string;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
  security?: unknown[];
}

interface OpenApi {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
}

const METHOD_TONE: Record<string, 'green' | 'indigo' | 'red' | 'amber'> = { get: 'green', post: 'indigo', delete: 'red', put: 'amber' };

function Fields({ schema }: { schema: Schema }) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return null;
  return (
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Fields">
      <table className="min-w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-4">Field</th>
            <th className="py-2 pr-4">Type</th>
            <th className="py-2">Description</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {props.map(([name, s]) => (
            <tr key={name}>
              <td className="whitespace-nowrap py-2 pr-4 align-top font-mono text-xs text-slate-900">
                {name}
                {schema.required?.includes(name) && <span className="ml-1 text-red-600" title="required">*</span>}
              </td>
              <td className="whitespace-nowrap py-2 pr-4 align-top text-xs text-slate-600">
                {s.enum ? s.enum.map(String).join(' | ') : (s.format === 'binary' ? 'file' : s.type ?? 'any')}
                {s.minimum !== undefined && s.maximum !== undefined && ` ${s.minimum}..${s.maximum}`}
              </td>
              <td className="py-2 align-top text-slate-700">{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Endpoint({ method, path, op }: { method: string; path: string; op: Operation }) {
  const [open, setOpen] = useState(false);
  const body = op.requestBody?.content && Object.values(op.requestBody.content)[0]?.schema;
  return (
    <li className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <button onClick={() => setOpen(!open)} aria-expanded={open} className="flex w-full flex-wrap items-center gap-3 px-5 py-4 text-left">
        <Badge tone={METHOD_TONE[method] ?? 'slate'}>{method.toUpperCase()}</Badge>
        <code className="break-all font-mono text-sm font-semibold text-slate-900">{path}</code>
        <span className="text-sm text-slate-600">{op.summary}</span>
      </button>
      {open && (
        <div className="space-y-4 border-t border-slate-100 px-5 py-4 text-sm">
          {op.description && <p className="whitespace-pre-line text-slate-700">{op.description}</p>}
          {op.parameters && op.parameters.length > 0 && (
            <div>
              <h4 className="mb-1 font-semibold text-slate-900">Parameters</h4>
              <Fields schema={{ properties: Object.fromEntries(op.parameters.map((p) => [`${p.name} (${p.in})`, { ...p.schema, description: p.description }])), required: op.parameters.filter((p) => p.required).map((p) => `${p.name} (${p.in})`) }} />
            </div>
          )}
          {body && (
            <div>
              <h4 className="mb-1 font-semibold text-slate-900">Body</h4>
              <Fields schema={body} />
            </div>
          )}
          {op.responses && (
            <div>
              <h4 className="mb-1 font-semibold text-slate-900">Responses</h4>
              <ul className="space-y-1">
                {Object.entries(op.responses).map(([code, r]) => (
                  <li key={code} className="flex gap-3">
                    <span className="w-12 shrink-0 font-mono text-xs font-semibold text-slate-900">{code}</span>
                    <span className="text-slate-700">{r.description}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

export function DocsPage() {
  const doc = useLoad(async () => readEnvelopeOrJson(await fetch('/docs/json')));
  if (doc.error) return <ErrorNote error={doc.error} />;
  if (!doc.data) return <Spinner label="Loading the reference" />;
  const d = doc.data;
  const ops = Object.entries(d.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  return (
    <>
      <PageHeader title="API reference" description={<>{d.info.title} {d.info.version}. {d.info.description} The interactive explorer is at <a className="font-semibold text-indigo-600 hover:underline" href="/docs">/docs</a>.</>} />
      <Card className="mb-6">
        <p className="text-sm text-slate-700">
          Authenticate every call with <code className="rounded bg-slate-100 px-1 font-mono">Authorization: Bearer YOUR_API_KEY</code>. Bodies are <code className="rounded bg-slate-100 px-1 font-mono">multipart/form-data</code>; errors answer a non-2xx status with <code className="rounded bg-slate-100 px-1 font-mono">{'{code, msg}'}</code>.
        </p>
      </Card>
      <ul className="space-y-3">
        {ops.map((o) => (
          <Endpoint key={`${o.method} ${o.path}`} {...o} />
        ))}
      </ul>
    </>
  );
}

async function readEnvelopeOrJson(response: Response): Promise<OpenApi> {
  if (!response.ok) return readEnvelope<OpenApi>(response);
  return (await response.json()) as OpenApi;
}
