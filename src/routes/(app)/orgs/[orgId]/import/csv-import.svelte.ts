// The steps of a CSV import in the browser: read the file, preview it, map columns, run, follow progress.
import { api, ApiError } from '$lib/api/client';
import { apiPath, withQuery } from '$lib/api/paths';
import type { components } from '$lib/api/schema';

export const FIELDS = [
  { key: 'metric', label: 'Metric (id or name)' },
  { key: 'value', label: 'Value' },
  { key: 'at', label: 'Date or time' },
  { key: 'source', label: 'Source' },
  { key: 'note', label: 'Note' },
] as const;
export type FieldKey = (typeof FIELDS)[number]['key'];

export interface Preview {
  headers: string[];
  rows: string[][];
  totalRows: number;
  suggestedMapping: Partial<Record<FieldKey, string>>;
}

export type ImportJob = components['schemas']['ReadingsImport'];

const PREVIEW_BYTES = 64 * 1024;

async function postCsv<T>(path: string, csv: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw new ApiError(response.status, body?.error ?? `Request failed (${response.status})`, body?.issues ?? []);
  }
  return body as T;
}

export class CsvImport {
  fileName = $state('');
  preview = $state<Preview | null>(null);
  mapping = $state<Record<FieldKey, string>>({ metric: '', value: '', at: '', source: '', note: '' });
  defaultMetricId = $state('');
  job = $state<ImportJob | null>(null);
  error = $state<unknown>(null);
  busy = $state(false);
  #csv = '';

  constructor(readonly orgId: string) {}

  async choose(file: File): Promise<void> {
    this.error = null;
    this.job = null;
    this.busy = true;
    try {
      this.fileName = file.name;
      this.#csv = await file.text();
      // Only the head of the file goes to the preview; the whole file goes once, on import.
      const cut = this.#csv.length > PREVIEW_BYTES ? this.#csv.lastIndexOf('\n', PREVIEW_BYTES) : this.#csv.length;
      const preview = await postCsv<Preview>(
        apiPath`/orgs/${this.orgId}/imports/preview`,
        this.#csv.slice(0, Math.max(cut, 1)),
      );
      preview.totalRows = Math.max(0, this.#csv.split('\n').filter((line) => line.trim() !== '').length - 1);
      this.preview = preview;
      this.mapping = { metric: '', value: '', at: '', source: '', note: '', ...preview.suggestedMapping };
    } catch (error) {
      this.error = error;
      this.preview = null;
    } finally {
      this.busy = false;
    }
  }

  async start(): Promise<void> {
    this.error = null;
    this.busy = true;
    const entries = Object.entries(this.mapping).filter(([, column]) => column !== '');
    if (!this.mapping.metric && this.defaultMetricId) entries.push(['metricId', this.defaultMetricId]);
    try {
      const path = withQuery(apiPath`/orgs/${this.orgId}/imports`, entries);
      this.job = (await postCsv<{ import: ImportJob }>(path, this.#csv)).import;
      while (this.job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 400));
        this.job = (
          await api.get('/api/orgs/{orgId}/imports/{importId}', { path: { orgId: this.orgId, importId: this.job.id } })
        ).import;
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.busy = false;
    }
  }
}
