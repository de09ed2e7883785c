// What the report is of (GET .../report.pdf?view=): the pinned classes first,
// each with the method its map was shown with (Grad-CAM when it was never
// shown), then the other classes whose map was on screen, in the order seen;
// at most the server's 8. "47:gradcam,49:layercam".

/** The most classes one report draws (the server's kMaxReportViews). */
export const MAX_REPORT_VIEWS = 8;

export function reportView(pinned: number[], viewed: { index: number; method: string }[]): string {
  const items: string[] = [];
  const add = (index: number, method: string) => {
    const item = `${index}:${method}`;
    if (!items.includes(item)) items.push(item);
  };
  for (const p of pinned) {
    const shown = viewed.filter((v) => v.index === p);
    if (shown.length === 0) add(p, 'gradcam');
    for (const v of shown) add(v.index, v.method);
  }
  for (const v of viewed) add(v.index, v.method);
  return items.slice(0, MAX_REPORT_VIEWS).join(',');
}
