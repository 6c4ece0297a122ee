// The steps of a CSV import in the browser: read the file, preview it, map columns, run, follow progress.
import { api, type ApiQuery, type ApiResponse } from '$lib/api/client';
import type { components } from '$lib/api/schema';

export const FIELDS = [
  { key: 'metric', label: 'Metric (id or name)' },
  { key: 'value', label: 'Value' },
  { key: 'at', label: 'Date or time' },
  { key: 'source', label: 'Source' },
  { key: 'note', label: 'Note' },
] as const;
export type FieldKey = (typeof FIELDS)[number]['key'];

export type Preview = ApiResponse<'/api/orgs/{orgId}/imports/preview', 'post'>;

export type ImportJob = components['schemas']['ReadingsImport'];

const PREVIEW_BYTES = 64 * 1024;

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
      const preview = await api.post('/api/orgs/{orgId}/imports/preview', {
        path: { orgId: this.orgId },
        csv: this.#csv.slice(0, Math.max(cut, 1)),
      });
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
    const query: ApiQuery<'/api/orgs/{orgId}/imports', 'post'> = {};
    for (const { key } of FIELDS) if (this.mapping[key] !== '') query[key] = this.mapping[key];
    if (!this.mapping.metric && this.defaultMetricId) query.metricId = this.defaultMetricId;
    try {
      this.job = (
        await api.post('/api/orgs/{orgId}/imports', { path: { orgId: this.orgId }, query, csv: this.#csv })
      ).import;
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
