'use client';
// Next's route-level error boundary, with the same human notice. A rendering
// failure shows a message and a way back, never a blank page or a stack trace.
import { useEffect } from 'react';

import CrashNotice from '@/components/common/CrashNotice';

export default function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error('soundlens page error', error);
  }, [error]);
  return <CrashNotice onRetry={reset} />;
}
