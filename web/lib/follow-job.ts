// Follows a job to its end: the server's event stream (SSE) where there is
// one, else polling. Calls onUpdate for every change; resolves with the final job.
import { getJob } from './api-client';
import { jobEventsUrl } from './api-base';
import type { Job } from './api-types';
import { isFinal, job as normaliseJob } from './normalise';

export function followJob(id: string, onUpdate: (job: Job) => void, signal: AbortSignal, useStream: boolean): Promise<Job> {
  return new Promise((resolve, reject) => {
    let source: EventSource | null = null;
    let timer = 0;
    let done = false;
    const finish = (job: Job) => {
      done = true;
      source?.close();
      window.clearTimeout(timer);
      resolve(job);
    };
    const update = (job: Job) => {
      onUpdate(job);
      if (isFinal(job.state)) finish(job);
    };
    const poll = () => {
      getJob(id, signal).then((job) => {
        update(job);
        if (!isFinal(job.state) && !signal.aborted) timer = window.setTimeout(poll, 1000);
      }, (error) => {
        if (!signal.aborted) reject(error);
      });
    };
    signal.addEventListener('abort', () => {
      source?.close();
      window.clearTimeout(timer);
      if (!done) reject(new Error('cancelled'));
    });
    if (useStream && typeof EventSource !== 'undefined') {
      source = new EventSource(jobEventsUrl(id));
      source.onmessage = (message) => {
        try {
          const job = normaliseJob(JSON.parse(message.data));
          if (job) update(job);
        } catch {
          // a line that is not a job: ignore it
        }
      };
      source.onerror = () => {
        // The stream ended or failed: fall back to polling until a final state.
        source?.close();
        source = null;
        if (!signal.aborted && !done) poll();
      };
    } else {
      poll();
    }
  });
}
