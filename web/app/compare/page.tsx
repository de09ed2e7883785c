import type { Metadata } from 'next';
import { Suspense } from 'react';

import CompareView from '@/components/history/CompareView';

export const metadata: Metadata = { title: 'Compare · soundlens' };

export default function ComparePage() {
  return (
    <Suspense fallback={<p className="text-slate-300">Loading…</p>}>
      <CompareView />
    </Suspense>
  );
}
