extension WebAssets {
    /// `/assets/app.css`.
    static let appCSS = #"""
        /* AuditLedger's page: system fonts, one accent colour, cards; a table that becomes stacked
           cards on narrow screens. */

        :root {
          --bg: #f4f6f9;
          --surface: #ffffff;
          --text: #16202e;
          --muted: #5b6778;
          --border: #d9dfe7;
          --accent: #1d4ed8;
          --accent-dark: #1e3a8a;
          --accent-soft: #e8eefc;
          --success: #166534;
          --success-soft: #dcfce7;
          --failure: #991b1b;
          --failure-soft: #fee2e2;
          --focus: #f59e0b;
          --radius: 8px;
          --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
          color-scheme: light;
        }

        *, *::before, *::after { box-sizing: border-box; }
        [hidden] { display: none !important; }

        html { -webkit-text-size-adjust: 100%; }

        body {
          margin: 0;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          font-size: 15px;
          line-height: 1.5;
          color: var(--text);
          background: var(--bg);
        }

        h1, h2, h3 { line-height: 1.25; margin: 0; }
        h1 { font-size: 1.35rem; }
        h2 { font-size: 1.1rem; }
        h3 { font-size: 0.95rem; }
        p { margin: 0.5rem 0; }
        code, .mono { font-family: var(--mono); font-size: 0.9em; }

        :focus-visible {
          outline: 3px solid var(--focus);
          outline-offset: 2px;
          border-radius: 3px;
        }

        .visually-hidden {
          position: absolute !important;
          width: 1px; height: 1px;
          margin: -1px; padding: 0; border: 0;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }

        .skip-link {
          position: absolute;
          left: 0.5rem;
          top: -3rem;
          padding: 0.5rem 0.75rem;
          background: var(--surface);
          color: var(--accent);
          border-radius: var(--radius);
          z-index: 10;
        }
        .skip-link:focus { top: 0.5rem; }

        .topbar {
          display: flex;
          align-items: center;
          justify-content: space-between;
          gap: 1rem;
          padding: 0.75rem 1.25rem;
          background: var(--surface);
          border-bottom: 1px solid var(--border);
        }
        .brand { display: flex; align-items: center; gap: 0.5rem; font-weight: 650; font-size: 1.05rem; }
        .session { display: flex; align-items: center; gap: 0.75rem; min-width: 0; }
        .account { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }

        main {
          max-width: 1200px;
          margin: 0 auto;
          padding: 1.25rem;
        }

        .card {
          background: var(--surface);
          border: 1px solid var(--border);
          border-radius: var(--radius);
          padding: 1.1rem 1.25rem;
          margin-bottom: 1rem;
          box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04);
        }

        .sign-in { max-width: 30rem; margin: 3rem auto; }
        .sign-in form { display: grid; gap: 0.5rem; margin-top: 1rem; }

        label { font-weight: 600; font-size: 0.85rem; }

        input, select {
          font: inherit;
          color: inherit;
          width: 100%;
          min-height: 2.4rem;
          padding: 0.4rem 0.6rem;
          border: 1px solid #b8c2cf;
          border-radius: 6px;
          background: var(--surface);
        }
        input:focus-visible, select:focus-visible { border-color: var(--accent); }

        .search-form {
          display: grid;
          grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
          gap: 0.85rem 1rem;
          margin-top: 0.85rem;
          align-items: start;
        }
        .field { display: grid; gap: 0.25rem; min-width: 0; }
        .field.wide { grid-column: span 2; }
        .hint { color: var(--muted); font-size: 0.8rem; }
        .actions { display: flex; gap: 0.5rem; align-items: end; align-self: end; }

        .button {
          font: inherit;
          font-weight: 600;
          min-height: 2.4rem;
          padding: 0.4rem 1rem;
          border-radius: 6px;
          border: 1px solid transparent;
          cursor: pointer;
          white-space: nowrap;
        }
        .button.primary { background: var(--accent); color: #fff; }
        .button.primary:hover { background: var(--accent-dark); }
        .button.secondary { background: var(--surface); color: var(--text); border-color: #b8c2cf; }
        .button.secondary:hover { background: var(--accent-soft); }
        .button:disabled { opacity: 0.45; cursor: default; }
        .button:disabled:hover { background: var(--surface); }

        .link-button {
          font: inherit;
          color: var(--accent);
          background: none;
          border: 0;
          padding: 0;
          text-align: left;
          cursor: pointer;
          text-decoration: underline;
          text-underline-offset: 2px;
          overflow-wrap: anywhere;
        }
        .link-button:hover { color: var(--accent-dark); }

        .alert {
          border: 1px solid #f1b4b4;
          background: var(--failure-soft);
          color: var(--failure);
          border-radius: var(--radius);
          padding: 0.65rem 0.9rem;
          overflow-wrap: anywhere;
        }
        .banner { display: flex; gap: 1rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }

        .muted { color: var(--muted); }
        .small { font-size: 0.82rem; }
        .block { display: block; }

        .section-head {
          display: flex;
          flex-wrap: wrap;
          align-items: baseline;
          justify-content: space-between;
          gap: 0.5rem 1rem;
        }
        .section-head p { margin: 0; }
        .export { display: flex; gap: 0.5rem; flex-wrap: wrap; }

        .chart { margin: 0.75rem 0 0.5rem; }
        .chart-svg { display: block; overflow: visible; }
        .chart-svg .bar { fill: var(--accent); }
        .chart-svg .bar:hover { fill: var(--accent-dark); }
        .chart-svg .axis { stroke: var(--border); stroke-width: 1; }
        .chart-svg .chart-label { fill: var(--muted); font-size: 11px; }

        .tops {
          display: grid;
          grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
          gap: 1rem 1.5rem;
          margin-top: 0.75rem;
        }
        .top-list { list-style: none; margin: 0.4rem 0 0; padding: 0; display: grid; gap: 0.45rem; }
        .top-line { display: flex; justify-content: space-between; gap: 0.75rem; }
        .count { color: var(--muted); font-variant-numeric: tabular-nums; }
        .meter { display: block; height: 4px; background: var(--accent-soft); border-radius: 2px; margin-top: 0.2rem; }
        .meter-fill { display: block; height: 100%; background: var(--accent); border-radius: 2px; }

        .results { width: 100%; border-collapse: collapse; margin-top: 0.5rem; }
        .results th, .results td {
          text-align: left;
          padding: 0.55rem 0.6rem;
          border-bottom: 1px solid var(--border);
          vertical-align: top;
          overflow-wrap: anywhere;
        }
        .results th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--muted); }
        .results tbody tr:hover { background: #f8fafc; }
        .member { display: grid; }

        .badge {
          display: inline-block;
          padding: 0.05rem 0.5rem;
          border-radius: 999px;
          font-size: 0.8rem;
          font-weight: 600;
        }
        .badge.success { background: var(--success-soft); color: var(--success); }
        .badge.failure { background: var(--failure-soft); color: var(--failure); }

        .empty { text-align: center; padding: 2rem 1rem; color: var(--muted); }
        .empty h3 { color: var(--text); }

        .pager {
          display: flex;
          align-items: center;
          justify-content: space-between;
          gap: 1rem;
          margin-top: 0.85rem;
        }

        .detail {
          width: min(46rem, calc(100vw - 1.5rem));
          max-height: calc(100vh - 2rem);
          border: 1px solid var(--border);
          border-radius: var(--radius);
          padding: 1.1rem 1.25rem;
          color: var(--text);
          box-shadow: 0 12px 40px rgba(16, 24, 40, 0.25);
        }
        .detail::backdrop { background: rgba(15, 23, 42, 0.45); }
        .detail-head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-bottom: 0.75rem; }
        .detail-head h2 { overflow-wrap: anywhere; font-family: var(--mono); }
        .detail-list { display: grid; grid-template-columns: 10rem minmax(0, 1fr); gap: 0.5rem 1rem; margin: 0; }
        .detail-list dt { font-weight: 600; color: var(--muted); }
        .detail-list dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
        .plain { list-style: none; margin: 0; padding: 0; }
        .json {
          margin: 0;
          padding: 0.6rem 0.75rem;
          background: #f1f4f8;
          border-radius: 6px;
          font-family: var(--mono);
          font-size: 0.85rem;
          white-space: pre-wrap;
          overflow-wrap: anywhere;
        }
        .hash { word-break: break-all; }
        .proof { margin: 0; font-weight: 600; }
        .proof[data-state="verified"] { color: var(--success); }
        .proof[data-state="verified"]::before { content: "✓ "; }
        .proof[data-state="failed"], .proof[data-state="error"] { color: var(--failure); }
        .proof[data-state="failed"]::before { content: "✗ "; }
        .proof[data-state="pending"], .proof[data-state="unavailable"] { color: var(--muted); }

        .footer { max-width: 1200px; margin: 0 auto; padding: 0 1.25rem 2rem; color: var(--muted); font-size: 0.82rem; }

        /* Narrow screens: the table becomes one card per event, each cell labelled. */
        @media (max-width: 720px) {
          main { padding: 0.75rem; }
          .topbar { padding: 0.6rem 0.75rem; }
          .card { padding: 0.9rem; }
          .search-form { grid-template-columns: 1fr 1fr; }
          .field, .field.wide { grid-column: span 2; }
          .field.narrow { grid-column: span 1; }
          .actions { grid-column: span 2; }
          .actions .button { flex: 1; }
          .results thead { display: none; }
          .results, .results tbody, .results tr, .results td { display: block; width: 100%; }
          .results tr {
            border: 1px solid var(--border);
            border-radius: var(--radius);
            padding: 0.4rem 0.75rem;
            margin-bottom: 0.75rem;
          }
          .results td {
            display: grid;
            grid-template-columns: 7.5rem minmax(0, 1fr);
            gap: 0.5rem;
            padding: 0.3rem 0;
            border-bottom: 0;
          }
          .results td > * { justify-self: start; }
          .results td::before { content: attr(data-label); font-weight: 600; color: var(--muted); font-size: 0.82rem; }
          .detail { padding: 0.9rem; }
          .detail-list { grid-template-columns: minmax(0, 1fr); gap: 0.15rem; }
          .detail-list dd { margin-bottom: 0.5rem; }
          .banner { flex-direction: column; align-items: stretch; }
        }
        """#
}
