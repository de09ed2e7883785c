import type { Metadata } from 'next';
import { Suspense } from 'react';

import ModelCompareView from '@/components/compare/ModelCompareView';

export const metadata: Metadata = { title: 'Two models · soundlens' };

export default function CompareModelsPage() {
  return (
    <Suspense fallback={<p className="text-slate-300">Loading…</p>}>
      <ModelCompareView />
    </Suspense>
  );
}
