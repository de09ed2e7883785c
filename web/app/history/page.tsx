import type { Metadata } from 'next';
import { Suspense } from 'react';

import HistoryView from '@/components/history/HistoryView';

export const metadata: Metadata = { title: 'History · soundlens' };

export default function HistoryPage() {
  return (
    <Suspense fallback={<p className="text-slate-300">Loading…</p>}>
      <HistoryView />
    </Suspense>
  );
}
