/**
 * The studio: calls the public API from the browser with one of the user's API keys, as async jobs
 * (POST /v1/tryon or /v1/prompt: the fields of API 1 and API 2, plus category auto), follows the
 * job through the session (its real stage: queued, analysing, rendering, saving), shows the result
 * beside the input with a before/after slider and the mask as an overlay, and the same call as
 * curl, Node and Python (the synchronous API, or the job route for category auto).
 */
import { Download, ImagePlus, Layers, Link2, Play, Wand2 } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { api, ApiFailure, readEnvelope } from '../api.ts';
import { Badge, Button, Card, CopyButton, ErrorNote, PageHeader, SelectInput, TextInput } from '../components/ui.tsx';
import { failure, useLoad } from '../hooks.ts';
import { useSession } from '../session.ts';
import type { Presets } from './types.ts';

const KEY_STORAGE = 'fitroom.studioKey';

/** Keeps a key for the studio in this tab only (sessionStorage): it goes when the tab closes. */
export function rememberStudioKey(apiKey: string, id: string): void {
  sessionStorage.setItem(KEY_STORAGE, JSON.stringify({ apiKey, id }));
}

function storedKey(): { apiKey: string; id: string } | null {
  try {
    return JSON.parse(sessionStorage.getItem(KEY_STORAGE) ?? 'null');
  } catch {
    return null;
  }
}

type Picked = { kind: 'file'; file: File; preview: string } | { kind: 'url'; url: string; preview: string };

interface Outcome {
  tab: 'tryon' | 'prompt';
  resultImgUrl: string;
  maskImgUrl: string;
  before: string;
  seed?: number;
  cacheHit: boolean;
  ms: number;
  /** A try-on sent with category auto: the category the service decided. */
  decidedCategory?: string;
}

/** A job as GET /v1/jobs/{jobId} shows it (the fields the studio reads). */
interface Job {
  jobId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { stage: Stage; sample: number } | null;
  numSamples: number;
  result: { resultImgUrl: string; maskImgUrl: string; seed?: number; cacheHit: boolean; category?: string; categoryDecision?: unknown } | null;
  error: { code: number; msg: string } | null;
}

const STAGES = [
  { stage: 'queued', label: 'Queued' },
  { stage: 'analysing', label: 'Analysing' },
  { stage: 'rendering', label: 'Rendering' },
  { stage: 'saving', label: 'Saving' },
] as const;
type Stage = (typeof STAGES)[number]['stage'];

/** How often the studio asks where its job is, ms. */
const POLL_MS = 200;

const CATEGORY_NAMES: Record<string, string> = { upper_body: 'Upper body', lower_body: 'Lower body', dresses: 'Dresses' };

/** The job's stages as steps: done, the current one (from the job's own progress), still to come. */
function StageSteps({ progress, samples }: { progress: Job['progress']; samples: number }) {
  const current = STAGES.findIndex((s) => s.stage === (progress?.stage ?? 'queued'));
  return (
    <div className="space-y-1.5">
      <ol aria-label="Progress" className="grid grid-cols-4 gap-1.5" data-testid="progress">
        {STAGES.map((s, i) => (
          <li key={s.stage} aria-current={i === current ? 'step' : undefined} data-stage={s.stage} className="space-y-1">
            <div className={`h-1.5 rounded-full ${i < current ? 'bg-indigo-600' : i === current ? 'progress-pulse bg-indigo-500' : 'bg-indigo-100'}`} />
            <p className={`text-xs ${i === current ? 'font-semibold text-indigo-700' : i < current ? 'text-slate-700' : 'text-slate-500'}`}>{s.label}</p>
          </li>
        ))}
      </ol>
      {samples > 1 && progress && <p className="text-xs text-slate-600">Sample {progress.sample} of {samples}</p>}
    </div>
  );
}

function ImagePicker({ label, value, onChange, presets, testId }: { label: string; value: Picked | null; onChange: (p: Picked | null) => void; presets: { id: string; url: string }[]; testId: string }) {
  const [url, setUrl] = useState('');
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const takeFile = (file: File | undefined) => {
    if (file) onChange({ kind: 'file', file, preview: URL.createObjectURL(file) });
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    takeFile(e.dataTransfer.files[0]);
  };
  return (
    <div className="space-y-3">
      <p className="text-sm font-medium text-slate-800">{label}</p>
      <button
        type="button"
        onClick={() => input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={`relative flex aspect-[3/4] w-full items-center justify-center overflow-hidden rounded-xl border-2 border-dashed transition ${over ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-slate-50 hover:border-indigo-400'}`}
        aria-label={`${label}: choose or drop an image`}
      >
        {value ? (
          <img src={value.preview} alt={`${label} chosen`} className="size-full object-contain" />
        ) : (
          <span className="flex flex-col items-center gap-2 px-4 text-center text-sm text-slate-600">
            <ImagePlus aria-hidden className="size-8 text-slate-400" />
            <span>
              <span className="font-semibold text-indigo-600">Upload</span> or drag and drop
            </span>
            <span className="text-xs text-slate-500">JPEG, PNG, WebP or AVIF, up to 20 MB</span>
          </span>
        )}
      </button>
      <input ref={input} type="file" accept="image/*" className="sr-only" data-testid={`${testId}-file`} aria-label={`${label} file`} onChange={(e) => takeFile(e.target.files?.[0])} />
      <div className="flex gap-2">
        <div className="relative min-w-0 flex-1">
          <Link2 aria-hidden className="pointer-events-none absolute left-2.5 top-2.5 size-4 text-slate-400" />
          <input
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="Image URL"
            aria-label={`${label} URL`}
            className="block w-full rounded-lg border-0 py-2 pl-8 pr-3 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
          />
        </div>
        <Button type="button" variant="secondary" disabled={!url} onClick={() => onChange({ kind: 'url', url, preview: url })}>
          Use
        </Button>
      </div>
      {presets.length > 0 && (
        <div>
          <p className="mb-1.5 text-xs font-medium uppercase tracking-wide text-slate-500">Presets</p>
          <div className="flex gap-2 overflow-x-auto p-0.5 pb-1" data-testid={`${testId}-presets`}>
            {presets.map((p) => (
              <button
                key={p.id}
                type="button"
                onClick={() => onChange({ kind: 'url', url: p.url, preview: p.url })}
                className={`size-16 shrink-0 overflow-hidden rounded-lg ring-2 ${value?.preview === p.url ? 'ring-indigo-600' : 'ring-transparent hover:ring-slate-300'}`}
                aria-label={`Preset ${p.id}`}
              >
                <img src={p.url} alt="" className="size-full object-cover" />
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** Result over input, split by a draggable handle (a range input, so it works with keys too). */
function Compare({ before, after, mask, showMask }: { before: string; after: string; mask: string; showMask: boolean }) {
  const [split, setSplit] = useState(50);
  return (
    <div className="relative aspect-[3/4] w-full overflow-hidden rounded-xl bg-slate-100 select-none">
      <img src={before} alt="Input" className="absolute inset-0 size-full object-contain" />
      <img src={after} alt="Result" data-testid="result-image" className="absolute inset-0 size-full object-contain" style={{ clipPath: `inset(0 0 0 ${split}%)` }} />
      {showMask && <img src={mask} alt="Repainted region" className="absolute inset-0 size-full object-contain opacity-60 mix-blend-multiply" style={{ filter: 'invert(1) sepia(1) saturate(6) hue-rotate(200deg)' }} />}
      <div className="pointer-events-none absolute inset-y-0 w-0.5 bg-white shadow" style={{ left: `${split}%` }} />
      <span className="absolute left-3 top-3 rounded bg-black/60 px-2 py-0.5 text-xs font-medium text-white">Before</span>
      <span className="absolute right-3 top-3 rounded bg-black/60 px-2 py-0.5 text-xs font-medium text-white">After</span>
      <input type="range" min={0} max={100} value={split} onChange={(e) => setSplit(Number(e.target.value))} aria-label="Before and after split" className="absolute inset-x-4 bottom-3 accent-indigo-600" />
    </div>
  );
}

function snippets(base: string, path: string, fields: Record<string, string>, images: Record<string, Picked | null>, job: boolean) {
  const url = `${base}${path}`;
  const imageArg = (name: string, p: Picked | null) => (p?.kind === 'url' ? { curl: `--form '${name}="${p.url}"'`, node: `form.append('${name}', '${p.url}');`, py: `'${name}': (None, '${p.url}')` } : { curl: `--form '${name}=@"${name === 'modelImg' ? 'model' : 'garment'}.jpg"'`, node: `form.append('${name}', new Blob([fs.readFileSync('${name === 'modelImg' ? 'model' : 'garment'}.jpg')]), '${name === 'modelImg' ? 'model' : 'garment'}.jpg');`, py: `'${name}': open('${name === 'modelImg' ? 'model' : 'garment'}.jpg', 'rb')` });
  const imgs = Object.entries(images).map(([n, p]) => imageArg(n, p));
  const texts = Object.entries(fields).filter(([, v]) => v !== '');
  const curl = [`curl --location '${url}'`, `  --header 'Authorization: Bearer YOUR_API_KEY'`, ...imgs.map((i) => `  ${i.curl}`), ...texts.map(([k, v]) => `  --form '${k}="${v.replace(/'/g, "'\\''")}"'`)].join(' \\\n');
  const node = [
    "import fs from 'node:fs';",
    '',
    'const form = new FormData();',
    ...imgs.map((i) => i.node),
    ...texts.map(([k, v]) => `form.append('${k}', ${JSON.stringify(v)});`),
    `const res = await fetch('${url}', {`,
    "  method: 'POST',",
    "  headers: { Authorization: 'Bearer YOUR_API_KEY' },",
    '  body: form,',
    '});',
    'console.log(await res.json());',
    ...(job ? ["// A job: poll GET /v1/jobs/{jobId} until its status is succeeded or failed."] : []),
  ].join('\n');
  const py = [
    'import requests',
    '',
    `res = requests.post(`,
    `    '${url}',`,
    "    headers={'Authorization': 'Bearer YOUR_API_KEY'},",
    `    files={${[...imgs.map((i) => i.py), ...texts.map(([k, v]) => `'${k}': (None, ${JSON.stringify(v)})`)].join(', ')}},`,
    ')',
    'print(res.json())',
    ...(job ? ['# A job: poll GET /v1/jobs/{jobId} until its status is succeeded or failed.'] : []),
  ].join('\n');
  return { curl: job ? `${curl}\n# A job: poll GET /v1/jobs/{jobId} until its status is succeeded or failed.` : curl, node, python: py };
}

function Snippets({ code }: { code: Record<'curl' | 'node' | 'python', string> }) {
  const [lang, setLang] = useState<'curl' | 'node' | 'python'>('curl');
  return (
    <Card
      title="The same call from your code"
      action={
        <div role="tablist" aria-label="Language" className="flex gap-1 rounded-lg bg-slate-100 p-1">
          {(['curl', 'node', 'python'] as const).map((l) => (
            <button key={l} role="tab" aria-selected={lang === l} onClick={() => setLang(l)} className={`rounded-md px-2.5 py-1 text-xs font-semibold ${lang === l ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600'}`}>
              {l === 'curl' ? 'curl' : l === 'node' ? 'Node.js' : 'Python'}
            </button>
          ))}
        </div>
      }
    >
      <div className="relative">
        <pre tabIndex={0} aria-label={`${lang} snippet`} className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-xs leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500" data-testid="snippet">
          <code>{code[lang]}</code>
        </pre>
        <div className="absolute right-2 top-2">
          <CopyButton text={code[lang]} />
        </div>
      </div>
    </Card>
  );
}

function Tab({ active, onClick, icon, children }: { active: boolean; onClick: () => void; icon: ReactNode; children: ReactNode }) {
  return (
    <button role="tab" aria-selected={active} onClick={onClick} className={`flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-semibold ${active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}>
      {icon}
      {children}
    </button>
  );
}

export function StudioPage() {
  const { info, refresh } = useSession();
  const presets = useLoad(() => api<Presets>('GET', '/presets'));
  const [key, setKey] = useState(storedKey());
  const [pasted, setPasted] = useState('');
  const [tab, setTab] = useState<'tryon' | 'prompt'>('tryon');
  const [model, setModel] = useState<Picked | null>(null);
  const [garment, setGarment] = useState<Picked | null>(null);
  const [category, setCategory] = useState('auto');
  const [desc, setDesc] = useState('');
  const [prompt, setPrompt] = useState('');
  const [seed, setSeed] = useState('42');
  const [randomize, setRandomize] = useState(false);
  const [guidance, setGuidance] = useState(50);
  const [steps, setSteps] = useState(28);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<{ job: Job['progress']; samples: number } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [error, setError] = useState<{ code?: number; message: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [showMask, setShowMask] = useState(false);
  // Polling stops when the page is left (the job itself runs on; usage shows it).
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!running) return;
    const started = Date.now();
    const t = setInterval(() => setElapsed((Date.now() - started) / 1000), 100);
    return () => clearInterval(t);
  }, [running]);

  const createStudioKey = async () => {
    try {
      const k = await api<{ id: string; apiKey: string }>('POST', '/keys', { name: 'Studio', signing: false });
      rememberStudioKey(k.apiKey, k.id);
      setKey({ apiKey: k.apiKey, id: k.id });
    } catch (err) {
      setError(failure(err));
    }
  };

  const fields: Record<string, string> =
    tab === 'tryon'
      ? { category, garmentDesc: desc }
      : { prompt, seed: randomize ? '' : seed, randomize_seed: randomize ? 'true' : 'false', guidance_scale: String(guidance), num_inference_steps: String(steps) };
  const images: Record<string, Picked | null> = tab === 'tryon' ? { garmentImg: garment, modelImg: model } : { modelImg: model };

  const run = async () => {
    if (!key) return;
    setRunning(true);
    setElapsed(0);
    setError(null);
    const form = new FormData();
    for (const [name, p] of Object.entries(images)) if (p) form.append(name, p.kind === 'file' ? p.file : p.url);
    for (const [k, v] of Object.entries(fields)) if (v !== '') form.append(k, v);
    const started = performance.now();
    try {
      const response = await fetch(tab === 'tryon' ? info.jobPaths.tryon : info.jobPaths.prompt, { method: 'POST', headers: { authorization: `Bearer ${key.apiKey}` }, body: form });
      let job = await readEnvelope<Job>(response);
      // Follow the job through the session until it ends, showing the stage it reports.
      while (job.status === 'queued' || job.status === 'running') {
        if (!mounted.current) return;
        setProgress({ job: job.progress, samples: job.numSamples });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await api<Job>('GET', `/jobs/${job.jobId}`);
      }
      if (job.status !== 'succeeded' || !job.result) {
        const error = job.error ?? { code: 500, msg: `SERVER_ERROR: the job ended ${job.status}` };
        throw new ApiFailure(error.code, 0, error.msg);
      }
      const { resultImgUrl, maskImgUrl, seed: usedSeed, cacheHit, category: decided } = job.result;
      setOutcome({
        tab,
        resultImgUrl,
        maskImgUrl,
        seed: usedSeed,
        cacheHit,
        before: model!.preview,
        ms: Math.round(performance.now() - started),
        decidedCategory: job.result.categoryDecision ? decided : undefined,
      });
      if (usedSeed !== undefined && randomize) setSeed(String(usedSeed));
    } catch (err) {
      setError(err instanceof ApiFailure ? { code: err.code, message: err.message } : failure(err));
    } finally {
      setRunning(false);
      setProgress(null);
      void refresh();
    }
  };

  const ready = key && model && (tab === 'prompt' ? prompt.trim() !== '' : garment);
  // API 1 takes no category auto: that call is shown as the job it is.
  const auto = tab === 'tryon' && category === 'auto';
  const code = snippets(info.apiBase, auto ? info.jobPaths.tryon : tab === 'tryon' ? info.paths.tryon : info.paths.prompt, fields, images, auto);

  return (
    <>
      <PageHeader
        title="Studio"
        description="Try the API on your own photos. Each run is a real call with your key, charged like any other."
        action={
          key ? (
            <span className="flex items-center gap-2 text-sm text-slate-600">
              Calling with <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{key.apiKey.slice(0, 10)}…</code>
              <button className="font-semibold text-indigo-600 hover:underline" onClick={() => { sessionStorage.removeItem(KEY_STORAGE); setKey(null); }}>
                change
              </button>
            </span>
          ) : null
        }
      />
      {!key && (
        <Card className="mb-6">
          <div className="flex flex-col gap-4 sm:flex-row sm:items-end">
            <div className="flex-1">
              <TextInput label="API key for the studio" placeholder="fr_…" value={pasted} onChange={(e) => setPasted(e.target.value)} hint="Kept in this tab only. Keys that require signatures cannot be used here." />
            </div>
            <Button variant="secondary" disabled={!pasted.startsWith('fr_')} onClick={() => { rememberStudioKey(pasted.trim(), ''); setKey({ apiKey: pasted.trim(), id: '' }); }}>
              Use this key
            </Button>
            <Button onClick={createStudioKey}>Create a studio key</Button>
          </div>
        </Card>
      )}
      <div role="tablist" aria-label="Mode" className="mb-6 flex gap-6 border-b border-slate-200">
        <Tab active={tab === 'tryon'} onClick={() => setTab('tryon')} icon={<Layers aria-hidden className="size-4" />}>
          Try-on
        </Tab>
        <Tab active={tab === 'prompt'} onClick={() => setTab('prompt')} icon={<Wand2 aria-hidden className="size-4" />}>
          Prompt edit
        </Tab>
      </div>
      <div className="grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-2">
          <div className="space-y-5">
            <div className={`grid gap-4 ${tab === 'tryon' ? 'grid-cols-2' : 'grid-cols-1 sm:grid-cols-2 lg:grid-cols-1'}`}>
              <ImagePicker label="Model photo" value={model} onChange={setModel} presets={presets.data?.models ?? []} testId="model" />
              {tab === 'tryon' && <ImagePicker label="Garment" value={garment} onChange={setGarment} presets={presets.data?.garments ?? []} testId="garment" />}
            </div>
            {tab === 'tryon' ? (
              <>
                <SelectInput label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="auto">Auto (from the garment photo)</option>
                  <option value="upper_body">Upper body (tops, shirts, jackets)</option>
                  <option value="lower_body">Lower body (trousers, skirts, shorts)</option>
                  <option value="dresses">Dresses</option>
                </SelectInput>
                <TextInput label="Description (optional)" maxLength={1000} placeholder="e.g. cropped long-sleeve cardigan" value={desc} onChange={(e) => setDesc(e.target.value)} />
              </>
            ) : (
              <>
                <div className="space-y-1.5">
                  <label htmlFor="studio-prompt" className="block text-sm font-medium text-slate-800">Prompt</label>
                  <textarea id="studio-prompt" rows={3} maxLength={1000} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="Help the model change into a blue striped shirt." className="block w-full rounded-lg border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600" />
                </div>
                <div className="grid grid-cols-2 gap-4">
                  <TextInput label="Seed" type="number" min={0} max={2147483647} value={seed} disabled={randomize} onChange={(e) => setSeed(e.target.value)} />
                  <label className="flex items-end gap-2 pb-2 text-sm font-medium text-slate-800">
                    <input type="checkbox" className="size-4 rounded border-slate-300" checked={randomize} onChange={(e) => setRandomize(e.target.checked)} /> Randomize
                  </label>
                </div>
                <label className="block text-sm font-medium text-slate-800">
                  Guidance <span className="font-mono text-slate-500">{guidance}</span>
                  <input type="range" min={1} max={100} value={guidance} onChange={(e) => setGuidance(Number(e.target.value))} className="mt-1 block w-full accent-indigo-600" />
                </label>
                <label className="block text-sm font-medium text-slate-800">
                  Steps <span className="font-mono text-slate-500">{steps}</span>
                  <input type="range" min={1} max={50} value={steps} onChange={(e) => setSteps(Number(e.target.value))} className="mt-1 block w-full accent-indigo-600" />
                </label>
              </>
            )}
            <Button onClick={run} disabled={!ready} busy={running} className="w-full !py-2.5">
              <Play aria-hidden className="size-4" /> {running ? `Working… ${elapsed.toFixed(1)} s` : `Run · ${tab === 'tryon' ? info.costs.tryon : info.costs.prompt} credit`}
            </Button>
            {running && progress && <StageSteps progress={progress.job} samples={progress.samples} />}
          </div>
        </Card>
        <div className="min-w-0 space-y-6 lg:col-span-3">
          <Card
            title="Result"
            action={
              outcome && (
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone="green">{outcome.ms} ms{outcome.cacheHit ? ' · cache' : ''}</Badge>
                  {outcome.seed !== undefined && <Badge tone="slate">seed {outcome.seed}</Badge>}
                  {outcome.decidedCategory && <Badge tone="indigo">auto: {CATEGORY_NAMES[outcome.decidedCategory] ?? outcome.decidedCategory}</Badge>}
                  <Button variant="ghost" className="!px-2 !py-1" onClick={() => setShowMask(!showMask)} aria-pressed={showMask}>
                    Mask
                  </Button>
                  <a href={outcome.resultImgUrl} download className="inline-flex items-center gap-1.5 rounded-lg px-2 py-1 text-sm font-semibold text-indigo-600 hover:bg-indigo-50">
                    <Download aria-hidden className="size-4" /> Download
                  </a>
                </div>
              )
            }
          >
            <div className="space-y-4">
              <ErrorNote error={error} />
              {outcome ? (
                <Compare before={outcome.before} after={outcome.resultImgUrl} mask={outcome.maskImgUrl} showMask={showMask} />
              ) : (
                <div className="flex aspect-[3/4] max-h-[28rem] w-full flex-col items-center justify-center rounded-xl bg-slate-50 text-center text-sm text-slate-500 ring-1 ring-inset ring-slate-200">
                  <Layers aria-hidden className="mb-2 size-8 text-slate-300" />
                  Choose a photo{tab === 'tryon' ? ' and a garment' : ' and write a prompt'}, then run.
                </div>
              )}
            </div>
          </Card>
          <Snippets code={code} />
        </div>
      </div>
    </>
  );
}
