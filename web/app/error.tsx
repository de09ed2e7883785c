'use client';
// Next's route-level error boundary, with the same human notice.
import CrashNotice from '@/components/CrashNotice';

export default function RouteError({ reset }: { error: Error; reset: () => void }) {
  return <CrashNotice onRetry={reset} />;
}
