extension WebAssets {
    /// The page's markup: static, with no inline script or style (the CSP forbids both). The
    /// script fills in every piece of data as text.
    static let pageHTML = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>AuditLedger · Activity</title>
    <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/assets/app.css">
    <script type="module" src="/assets/app.js"></script>
    </head>
    <body>
    <a class="skip-link" href="#results-heading">Skip to results</a>
    <header class="topbar">
      <div class="brand"><svg class="logo" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><rect x="2" y="2" width="20" height="20" rx="5" fill="#1d4ed8"/><path d="M7 8h10M7 12h10M7 16h6" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg><span>AuditLedger</span></div>
      <div class="session" id="session" hidden>
        <span class="account" id="account-label"></span>
        <button type="button" class="button secondary" id="sign-out">Sign out</button>
      </div>
    </header>

    <main id="main">
      <section class="card sign-in" id="sign-in-view" aria-labelledby="sign-in-heading" hidden>
        <h1 id="sign-in-heading">Sign in to your audit log</h1>
        <p>Paste a <strong>read</strong> token for your account. The page keeps it in this browser tab
          only, and forgets it when you sign out or close the tab.</p>
        <p class="alert" id="sign-in-message" role="alert" hidden></p>
        <form id="sign-in-form" novalidate>
          <label for="token">Read token</label>
          <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" autocapitalize="off">
          <button type="submit" class="button primary">Sign in</button>
        </form>
      </section>

      <div id="app-view" hidden>
        <section class="card" aria-labelledby="search-heading">
          <h1 id="search-heading">Activity</h1>
          <form id="search-form" class="search-form" role="search" novalidate>
            <div class="field">
              <label for="f-name">Activity name</label>
              <input id="f-name" name="name" type="text" placeholder="stack.deploy or stack.*" aria-describedby="f-name-hint" spellcheck="false" autocapitalize="off">
              <span class="hint" id="f-name-hint">Exact name, <code>family.*</code>, or a comma list</span>
            </div>
            <div class="field">
              <label for="f-range">Time range</label>
              <select id="f-range" name="range">
                <option value="24h">Last 24 hours</option>
                <option value="7d">Last 7 days</option>
                <option value="30d">Last 30 days</option>
                <option value="all">All time</option>
                <option value="custom">Custom range…</option>
              </select>
            </div>
            <div class="field" id="f-from-field" hidden>
              <label for="f-from">From (your time)</label>
              <input id="f-from" name="from" type="datetime-local">
            </div>
            <div class="field" id="f-to-field" hidden>
              <label for="f-to">To (your time)</label>
              <input id="f-to" name="to" type="datetime-local">
            </div>
            <div class="field">
              <label for="f-actor">Team member</label>
              <input id="f-actor" name="actor" type="text" placeholder="actor id, e.g. u_42" spellcheck="false" autocapitalize="off">
            </div>
            <div class="field narrow">
              <label for="f-country">Country</label>
              <input id="f-country" name="country" type="text" maxlength="2" placeholder="GB" aria-describedby="f-country-hint" autocapitalize="characters" spellcheck="false">
              <span class="hint" id="f-country-hint">Two-letter code</span>
            </div>
            <div class="field narrow">
              <label for="f-outcome">Outcome</label>
              <select id="f-outcome" name="outcome">
                <option value="">Any</option>
                <option value="success">Success</option>
                <option value="failure">Failure</option>
              </select>
            </div>
            <div class="field wide">
              <label for="f-q">Text</label>
              <input id="f-q" name="q" type="search" placeholder="Words in descriptions, names and targets">
            </div>
            <div class="field narrow">
              <label for="f-limit">Per page</label>
              <select id="f-limit" name="limit">
                <option value="25">25</option>
                <option value="50">50</option>
                <option value="100">100</option>
              </select>
            </div>
            <div class="actions">
              <button type="submit" class="button primary" id="search-button">Search</button>
              <button type="button" class="button secondary" id="reset-button">Reset</button>
            </div>
          </form>
        </section>

        <div class="alert banner" id="banner" role="alert" hidden>
          <span id="banner-text"></span>
          <button type="button" class="button secondary" id="banner-retry" hidden>Try again</button>
        </div>

        <section class="card" id="overview" aria-labelledby="overview-heading">
          <div class="section-head">
            <h2 id="overview-heading">Events per day</h2>
            <p class="muted" id="chart-caption"></p>
          </div>
          <div class="chart" id="chart"></div>
          <div class="tops">
            <section aria-labelledby="top-names-heading">
              <h3 id="top-names-heading">Top activities</h3>
              <ol class="top-list" id="top-names"></ol>
            </section>
            <section aria-labelledby="top-actors-heading">
              <h3 id="top-actors-heading">Top team members</h3>
              <ol class="top-list" id="top-actors"></ol>
            </section>
            <section aria-labelledby="top-countries-heading">
              <h3 id="top-countries-heading">Top countries</h3>
              <ol class="top-list" id="top-countries"></ol>
            </section>
          </div>
        </section>

        <section class="card" id="results-section" aria-labelledby="results-heading">
          <div class="section-head">
            <h2 id="results-heading" tabindex="-1">Events</h2>
            <div class="export" role="group" aria-label="Export the time range">
              <button type="button" class="button secondary" id="export-csv">Export CSV</button>
              <button type="button" class="button secondary" id="export-ndjson">Export NDJSON</button>
            </div>
          </div>
          <p class="muted" id="results-summary" aria-live="polite"></p>
          <p class="muted small" id="export-status" role="status"></p>
          <div class="empty" id="empty-state" hidden>
            <h3>No events match this search</h3>
            <p>Try a wider time range, or remove a filter.</p>
          </div>
          <table class="results" id="results">
            <caption class="visually-hidden">Events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Activity</th>
                <th scope="col">Team member</th>
                <th scope="col">IP</th>
                <th scope="col">Location</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody id="results-body"></tbody>
          </table>
          <nav class="pager" aria-label="Pages of results">
            <button type="button" class="button secondary" id="newer">← Newer</button>
            <span class="muted" id="page-label"></span>
            <button type="button" class="button secondary" id="older">Older →</button>
          </nav>
        </section>
      </div>

      <dialog class="detail" id="detail" aria-labelledby="detail-heading">
        <div class="detail-head">
          <h2 id="detail-heading">Event</h2>
          <button type="button" class="button secondary" id="detail-close">Close</button>
        </div>
        <div id="detail-body"></div>
      </dialog>
    </main>
    <footer class="footer">
      <p>AuditLedger keeps every event in an append-only, hash-chained Merkle tree.
        Times are shown in your time zone; hover a time for UTC.</p>
    </footer>
    </body>
    </html>
    """#
}
