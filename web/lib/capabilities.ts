// What this server can do, read once from its own /openapi.json, so the page
// shows a control only when the route or parameter behind it exists (and says
// "not available on this server" otherwise) instead of guessing.
import { useEffect, useState } from 'react';

import { getOpenApi } from './api-client';
import { METHODS } from './api-types';

export interface Capabilities {
  loaded: boolean;
  methods: string[];
  contrast: boolean;
  sanity: boolean;
  faithfulness: boolean;
  listen: boolean;
  /** explanation?listen=1: the listening search's numbers (kept fraction, kept and removed probabilities). */
  listenSearch: boolean;
  /** explanation?event=N: an event's explanation on its own window (the events table's checks). */
  eventExplanation: boolean;
  spectrogramSpan: boolean;
  exports: { events_csv: boolean; raven: boolean; audacity: boolean; report: boolean; clips: boolean };
  jobs: boolean;
  patchAnalysis: boolean;
  figureMethod: boolean;
  /** POST /api/v1/analyses takes models=A,B (two models compared). */
  compareModels: boolean;
  /** GET /api/v1/compare?a=&b= (a comparison reloaded from its URL). */
  compareRoute: boolean;
}

export const NO_CAPABILITIES: Capabilities = {
  loaded: false,
  methods: ['gradcam'],
  contrast: false,
  sanity: false,
  faithfulness: false,
  listen: false,
  listenSearch: false,
  eventExplanation: false,
  spectrogramSpan: false,
  exports: { events_csv: false, raven: false, audacity: false, report: false, clips: false },
  jobs: false,
  patchAnalysis: false,
  figureMethod: false,
  compareModels: false,
  compareRoute: false,
};

type Operation = {
  parameters?: { name?: string; in?: string; schema?: { enum?: unknown[] } }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};
type Spec = { paths?: Record<string, Record<string, Operation>> };

const A = '/api/v1/analyses/{id}';

export function capabilitiesOf(raw: unknown): Capabilities {
  const paths = (raw as Spec)?.paths ?? {};
  const op = (path: string, method = 'get') => paths[path]?.[method];
  const param = (path: string, name: string) => op(path)?.parameters?.find((p) => p.name === name && p.in === 'query');
  const formField = (path: string, name: string) => !!op(path, 'post')?.requestBody?.content?.['multipart/form-data']?.schema?.properties?.[name];
  const methodParam = param(`${A}/explanation`, 'method');
  const listed = methodParam?.schema?.enum?.filter((m): m is string => typeof m === 'string');
  return {
    loaded: true,
    methods: methodParam ? (listed?.length ? listed : [...METHODS]) : ['gradcam'],
    contrast: !!param(`${A}/explanation`, 'contrast'),
    sanity: !!param(`${A}/explanation`, 'sanity'),
    faithfulness: !!param(`${A}/explanation`, 'faithfulness'),
    listen: !!op(`${A}/explanation.wav`),
    listenSearch: !!param(`${A}/explanation`, 'listen'),
    eventExplanation: !!param(`${A}/explanation`, 'event'),
    spectrogramSpan: !!param(`${A}/spectrogram`, 'start_s'),
    exports: {
      events_csv: !!op(`${A}/events.csv`),
      raven: !!op(`${A}/raven.txt`),
      audacity: !!op(`${A}/labels.txt`),
      report: !!op(`${A}/report.pdf`),
      clips: !!op(`${A}/reviewed-clips.zip`),
    },
    jobs: !!op('/api/v1/jobs/{id}/events'),
    patchAnalysis: !!op(A, 'patch'),
    figureMethod: !!param(`${A}/figure.png`, 'method'),
    compareModels: formField('/api/v1/analyses', 'models'),
    compareRoute: !!op('/api/v1/compare'),
  };
}

let cache: Promise<Capabilities> | null = null;

export function loadCapabilities(): Promise<Capabilities> {
  cache ??= getOpenApi().then(capabilitiesOf, () => {
    cache = null; // try again next time
    return { ...NO_CAPABILITIES, loaded: true };
  });
  return cache;
}

export function useCapabilities(): Capabilities {
  const [caps, setCaps] = useState<Capabilities>(NO_CAPABILITIES);
  useEffect(() => {
    let live = true;
    void loadCapabilities().then((c) => live && setCaps(c));
    return () => {
      live = false;
    };
  }, []);
  return caps;
}
