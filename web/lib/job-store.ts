// Jobs still running are remembered in this browser (localStorage), so
// leaving the page and coming back finds them again.
export interface RememberedJob {
  id: string;
  filename: string;
}

const KEY = 'soundlens.jobs';

export function rememberedJobs(): RememberedJob[] {
  try {
    const list = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((j) => typeof j?.id === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberJob(job: RememberedJob): void {
  const list = rememberedJobs().filter((j) => j.id !== job.id);
  window.localStorage.setItem(KEY, JSON.stringify([...list, job]));
}

export function forgetJob(id: string): void {
  window.localStorage.setItem(KEY, JSON.stringify(rememberedJobs().filter((j) => j.id !== id)));
}
