/** The sandbox pages' shared layout: one small stylesheet, no script, no external resource. */

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
}

const STYLE = `
  :root { color-scheme: light; --ink: #1b2430; --muted: #5d6b7a; --line: #dde3ea; --brand: #0b5cab;
          --ok: #157f3b; --bad: #b3261e; --bg: #eef2f6; }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
         background: var(--bg); color: var(--ink);
         font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  .card { width: min(420px, calc(100vw - 24px)); background: #fff; border-radius: 14px;
          box-shadow: 0 10px 30px rgba(20, 40, 70, .12); overflow: hidden; }
  .card.wide { width: min(760px, calc(100vw - 24px)); }
  header { display: flex; align-items: center; justify-content: space-between; gap: 12px;
           padding: 16px 22px; background: linear-gradient(135deg, #0b5cab, #083e73); color: #fff; }
  header .bank { font-weight: 700; letter-spacing: .3px; }
  header .badge { font-size: 12px; padding: 3px 8px; border: 1px solid rgba(255,255,255,.5); border-radius: 999px; }
  section { padding: 20px 22px; }
  h1 { font-size: 19px; margin: 0 0 6px; }
  p { margin: 6px 0; }
  .muted { color: var(--muted); }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 14px 0;
       padding: 12px 14px; background: #f7f9fb; border: 1px solid var(--line); border-radius: 10px; }
  dt { color: var(--muted); }
  dd { margin: 0; font-weight: 600; text-align: right; word-break: break-word; }
  .amount { font-size: 18px; }
  label { display: block; font-weight: 600; margin: 16px 0 6px; }
  input[type=text] { width: 100%; padding: 11px 12px; font-size: 20px; letter-spacing: 6px; text-align: center;
                     border: 1px solid #b8c3cf; border-radius: 8px; }
  input[type=text]:focus { outline: 2px solid var(--brand); border-color: var(--brand); }
  .actions { display: flex; flex-direction: row-reverse; gap: 10px; margin-top: 16px; }
  button { flex: 1; padding: 11px 14px; font-size: 15px; font-weight: 600; border-radius: 8px; cursor: pointer;
           border: 1px solid var(--brand); }
  button.primary { background: var(--brand); color: #fff; }
  button.secondary { background: #fff; color: var(--brand); }
  .hint { margin-top: 16px; padding: 10px 12px; border-radius: 8px; background: #fff8e1;
          border: 1px dashed #e0b400; font-size: 14px; }
  .status { font-size: 40px; line-height: 1; margin-bottom: 8px; }
  .ok { color: var(--ok); } .bad { color: var(--bad); }
  table { width: 100%; border-collapse: collapse; margin: 10px 0; font-size: 14px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
  code { background: #f1f4f8; padding: 1px 5px; border-radius: 4px; font-size: 13px; }
  footer { padding: 12px 22px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); }
`

export function layout(title: string, content: string, options: { wide?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="card${options.wide ? " wide" : ""}">
<header><span class="bank">PaySys Sandbox Bank</span><span class="badge">TEST MODE</span></header>
${content}
<footer>PaySys sandbox: no real card is charged. Never enter real card data here.</footer>
</div>
</body>
</html>
`
}
