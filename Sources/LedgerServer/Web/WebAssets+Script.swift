extension WebAssets {
    /// `/assets/app.js`, the page's only script (an ES module): sign-in, search, paging, the
    /// detail panel with in-browser inclusion-proof verification, the chart and exports. It
    /// renders event data only as text.
    static let appJavaScript = #"""
        // AuditLedger's page for account owners: a read token kept in this tab's session storage,
        // the JSON API under /v1, and rendering that only ever puts event data into the page as text
        // (textContent, Text nodes, attribute values): every field of an event is attacker-controlled.

        const TOKEN_KEY = 'auditledger.readToken';
        const RANGES = { '24h': 24 * 3600e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
        const RANGE_NAMES = { '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days', all: 'all time' };
        const DEFAULT_RANGE = '7d';
        const PAGE_SIZES = ['25', '50', '100'];
        const DEFAULT_PAGE_SIZE = '50';
        // The chart and the top lists summarise up to this many of the search's newest events.
        const STATS_PAGE_SIZE = 1000;
        const STATS_PAGES = 3;
        const MAX_CHART_DAYS = 400;
        const FILTERS = ['name', 'range', 'from', 'to', 'actor', 'country', 'outcome', 'q', 'limit'];

        const $ = (id) => document.getElementById(id);

        const state = {
          token: null,
          account: null,
          search: null,          // the search the page shows, as read from the URL
          cursors: [],           // the cursors of the newer pages, for "Newer"
          nextCursor: null,
          statsKey: null,        // the search the chart and top lists were computed for
          pageRequest: 0,
          statsRequest: 0,
          detailRequest: 0,
          detailOpener: null,
          retry: null,
        };

        // MARK: DOM helpers: data goes in as text or attribute values, never as markup.

        function el(tag, attributes = {}, ...children) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes)) {
            if (value === undefined || value === null) continue;
            if (name === 'class') node.className = value;
            else node.setAttribute(name, String(value));
          }
          for (const child of children) {
            if (child === undefined || child === null) continue;
            node.append(typeof child === 'string' ? document.createTextNode(child) : child);
          }
          return node;
        }

        const SVG_NS = 'http://www.w3.org/2000/svg';

        function svg(tag, attributes = {}, ...children) {
          const node = document.createElementNS(SVG_NS, tag);
          for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
          for (const child of children) node.append(child);
          return node;
        }

        function show(node, visible) {
          node.hidden = !visible;
        }

        // MARK: The API

        class ApiError extends Error {
          constructor(status, code, message) {
            super(message);
            this.status = status;
            this.code = code;
          }
        }

        class UnreachableError extends Error {}

        /// `as`: 'json' or 'blob'; with `withHeaders`, `{ body, headers }` so a caller can read
        /// the response's headers too (same-origin, so every header is visible to the script).
        async function api(path, { as = 'json', withHeaders = false } = {}) {
          let response;
          try {
            response = await fetch(path, {
              headers: { Authorization: `Bearer ${state.token}` },
              cache: 'no-store',
              credentials: 'omit',
            });
          } catch {
            throw new UnreachableError('The AuditLedger server cannot be reached.');
          }
          if (!response.ok) {
            let code = `http_${response.status}`;
            let message = response.statusText || 'Request failed';
            try {
              const body = await response.json();
              if (body && body.error) {
                code = String(body.error.code);
                message = String(body.error.message);
              }
            } catch {
              // Not the API's JSON error body (a proxy's page, say): keep the status line.
            }
            throw new ApiError(response.status, code, message);
          }
          try {
            const body = as === 'blob' ? await response.blob() : await response.json();
            return withHeaders ? { body, headers: response.headers } : body;
          } catch {
            throw new UnreachableError('The connection to the server broke off mid-response.');
          }
        }

        // MARK: Searches and URLs

        function defaultSearch() {
          return { name: '', range: DEFAULT_RANGE, from: '', to: '', actor: '', country: '', outcome: '', q: '', limit: DEFAULT_PAGE_SIZE, cursor: '', event: '' };
        }

        function searchFromURL() {
          const params = new URLSearchParams(window.location.search);
          const search = defaultSearch();
          for (const key of [...FILTERS, 'cursor', 'event']) {
            const value = params.get(key);
            if (value !== null) search[key] = value.trim();
          }
          if (!(search.range in RANGES) && search.range !== 'all' && search.range !== 'custom') search.range = DEFAULT_RANGE;
          if (!PAGE_SIZES.includes(search.limit)) search.limit = DEFAULT_PAGE_SIZE;
          if (search.outcome !== 'success' && search.outcome !== 'failure') search.outcome = '';
          if (search.range !== 'custom') {
            search.from = '';
            search.to = '';
          }
          return search;
        }

        function urlFor(search) {
          const params = new URLSearchParams();
          for (const key of [...FILTERS, 'cursor', 'event']) {
            const value = search[key];
            if (!value) continue;
            if (key === 'range' && value === DEFAULT_RANGE) continue;
            if (key === 'limit' && value === DEFAULT_PAGE_SIZE) continue;
            params.set(key, value);
          }
          const query = params.toString();
          return query ? `/?${query}` : '/';
        }

        /// The search without its paging and open event: what the chart and top lists depend on.
        function filterKey(search) {
          return FILTERS.filter((key) => key !== 'limit').map((key) => `${key}=${search[key]}`).join('&');
        }

        function isoSeconds(date) {
          return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
        }

        function parseTime(text) {
          if (!text) return null;
          const date = new Date(text);
          return Number.isNaN(date.getTime()) ? null : date;
        }

        /// The search's time bounds, half-open; a preset is relative to `now`.
        function timeBounds(search, now = Date.now()) {
          if (search.range in RANGES) return { from: new Date(now - RANGES[search.range]), to: null };
          if (search.range === 'custom') return { from: parseTime(search.from), to: parseTime(search.to) };
          return { from: null, to: null };
        }

        function apiFilters(search) {
          const params = new URLSearchParams();
          if (search.name) params.set('name', search.name.replace(/\s+/g, ''));
          if (search.actor) params.set('actor', search.actor);
          if (search.country) params.set('country', search.country.toUpperCase());
          if (search.outcome) params.set('outcome', search.outcome);
          if (search.q) params.set('q', search.q);
          const { from, to } = timeBounds(search);
          if (from) params.set('from', isoSeconds(from));
          if (to) params.set('to', isoSeconds(to));
          return params;
        }

        // datetime-local inputs hold the viewer's local time; the URL holds UTC.
        function localInputValue(iso) {
          const date = parseTime(iso);
          if (!date) return '';
          const pad = (n) => String(n).padStart(2, '0');
          return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
        }

        function fillForm(search) {
          $('f-name').value = search.name;
          $('f-range').value = search.range;
          $('f-from').value = localInputValue(search.from);
          $('f-to').value = localInputValue(search.to);
          $('f-actor').value = search.actor;
          $('f-country').value = search.country;
          $('f-outcome').value = search.outcome;
          $('f-q').value = search.q;
          $('f-limit').value = search.limit;
          showCustomRange(search.range === 'custom');
        }

        function showCustomRange(visible) {
          show($('f-from-field'), visible);
          show($('f-to-field'), visible);
        }

        function readForm() {
          const search = defaultSearch();
          search.name = $('f-name').value.trim();
          search.range = $('f-range').value;
          search.actor = $('f-actor').value.trim();
          search.country = $('f-country').value.trim().toUpperCase();
          search.outcome = $('f-outcome').value;
          search.q = $('f-q').value.trim();
          search.limit = $('f-limit').value;
          if (search.range === 'custom') {
            const from = parseTime($('f-from').value);
            const to = parseTime($('f-to').value);
            search.from = from ? isoSeconds(from) : '';
            search.to = to ? isoSeconds(to) : '';
          }
          return search;
        }

        // MARK: Formatting

        const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
        const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
        const longDayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });

        function utcText(date) {
          return `${date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
        }

        function timeElement(iso) {
          const date = parseTime(iso);
          if (!date) return el('span', {}, iso || '—');
          return el('time', { datetime: iso, title: utcText(date) }, localFormat.format(date));
        }

        function locationText(event) {
          const geo = event.geo || {};
          const place = [geo.city, geo.country || geo.country_code].filter(Boolean).join(', ');
          if (place) return place;
          switch (event.geo_status) {
            case 'private': return 'Private network';
            case 'no_ip': return '—';
            case 'not_found': return 'Unknown';
            default: return 'Not located';
          }
        }

        function actorLabel(actor) {
          if (!actor) return '';
          return actor.name ? `${actor.name} (${actor.id})` : actor.id;
        }

        function outcomeBadge(outcome) {
          return el('span', { class: `badge ${outcome === 'failure' ? 'failure' : 'success'}` }, outcome === 'failure' ? 'Failure' : 'Success');
        }

        function plural(count, word) {
          return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
        }

        function formatBytes(bytes) {
          if (bytes < 1024) return plural(bytes, 'byte');
          if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
          return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
        }

        // MARK: Views

        function showSignIn(message) {
          show($('app-view'), false);
          show($('session'), false);
          show($('sign-in-view'), true);
          const note = $('sign-in-message');
          note.textContent = message || '';
          show(note, Boolean(message));
          $('token').focus();
        }

        function showApp() {
          show($('sign-in-view'), false);
          show($('app-view'), true);
          show($('session'), true);
          renderAccount();
        }

        function renderAccount() {
          $('account-label').textContent = state.account ? `Account: ${state.account}` : 'Signed in';
        }

        function showBanner(message, retry) {
          $('banner-text').textContent = message;
          state.retry = retry || null;
          show($('banner-retry'), Boolean(retry));
          show($('banner'), true);
        }

        function hideBanner() {
          show($('banner'), false);
          state.retry = null;
        }

        function clearResults() {
          $('results-body').replaceChildren();
          $('results-summary').textContent = '';
          $('page-label').textContent = '';
          $('export-status').textContent = '';
          $('chart').replaceChildren();
          $('chart-caption').textContent = '';
          for (const id of ['top-names', 'top-actors', 'top-countries']) $(id).replaceChildren();
          show($('empty-state'), false);
          show($('results'), false);
          $('overview').removeAttribute('aria-busy');
          $('results-section').removeAttribute('aria-busy');
          $('older').disabled = true;
          $('newer').disabled = true;
        }

        function signOut(message) {
          sessionStorage.removeItem(TOKEN_KEY);
          state.token = null;
          state.account = null;
          state.statsKey = null;
          state.pageRequest += 1;
          state.statsRequest += 1;
          state.detailRequest += 1;
          if ($('detail').open) $('detail').close();
          hideBanner();
          clearResults();
          showSignIn(message);
        }

        /// One place for what a failed request means to the person using the page.
        function handleError(error, retry) {
          if (error instanceof ApiError) {
            if (error.status === 401) {
              signOut('Your token was not accepted: it may have expired, been revoked or been mistyped. Sign in again.');
              return;
            }
            if (error.status === 403) {
              signOut('This token may not read events. Sign in with a read token for your account.');
              return;
            }
            if (error.status === 400 && error.message.startsWith('account:')) {
              signOut('This token is not bound to one account. Sign in with an account owner’s read token.');
              return;
            }
            if (error.status === 400) {
              showBanner(`The search was not accepted: ${error.message}`);
              return;
            }
            if (error.status === 503) {
              showBanner('The server is restarting or shutting down. Try again in a moment.', retry);
              return;
            }
            showBanner(`The server answered with an error (${error.status}): ${error.message}`, retry);
            return;
          }
          if (error instanceof UnreachableError) {
            showBanner('The AuditLedger server cannot be reached. Check your connection, then try again.', retry);
            return;
          }
          showBanner(`Something went wrong in the page: ${error.message}`, retry);
        }

        // MARK: Results

        function cell(label, ...content) {
          return el('td', { 'data-label': label }, ...content);
        }

        function rowFor(event) {
          const open = el('button', { type: 'button', class: 'link-button', 'data-seq': event.seq }, event.name);
          open.addEventListener('click', () => openDetail(String(event.seq), open));
          const actor = event.actor || {};
          const member = actor.name
            ? el('span', { class: 'member' }, el('span', {}, actor.name), el('span', { class: 'muted small' }, actor.id))
            : el('span', { class: 'member' }, el('span', {}, actor.id || '—'));
          return el('tr', {},
            cell('Time', timeElement(event.occurred_at)),
            cell('Activity', open),
            cell('Team member', member),
            cell('IP', el('span', { class: 'mono' }, event.ip || '—')),
            cell('Location', locationText(event)),
            cell('Outcome', outcomeBadge(event.outcome)));
        }

        function renderPage(page) {
          const events = Array.isArray(page.events) ? page.events : [];
          if (events.length > 0 && events[0].account) {
            state.account = events[0].account;
            renderAccount();
          }
          state.nextCursor = page.next_cursor || null;
          $('results-body').replaceChildren(...events.map(rowFor));
          show($('results'), events.length > 0);
          show($('empty-state'), events.length === 0 && !state.search.cursor);
          const pageNumber = state.cursors.length + (state.search.cursor ? 1 : 0) + 1;
          const where = state.search.range === 'custom' ? 'the chosen range' : RANGE_NAMES[state.search.range];
          if (events.length === 0) {
            $('results-summary').textContent = state.search.cursor ? 'No older events.' : `No events in ${where}.`;
          } else {
            $('results-summary').textContent = `${plural(events.length, 'event')} on this page, newest first (${where}).`;
          }
          $('page-label').textContent = events.length > 0 || state.search.cursor ? `Page ${pageNumber}` : '';
          $('older').disabled = !state.nextCursor;
          $('newer').disabled = !state.search.cursor;
        }

        async function loadPage() {
          const search = state.search;
          const request = ++state.pageRequest;
          const params = apiFilters(search);
          params.set('limit', search.limit);
          if (search.cursor) params.set('cursor', search.cursor);
          $('results-section').setAttribute('aria-busy', 'true');
          $('results-summary').textContent = 'Loading…';
          try {
            const page = await api(`/v1/events?${params}`);
            if (request !== state.pageRequest) return;
            hideBanner();
            renderPage(page);
          } catch (error) {
            if (request !== state.pageRequest) return;
            // Rows of an earlier search would pass for this one's: show none.
            $('results-body').replaceChildren();
            show($('results'), false);
            show($('empty-state'), false);
            $('results-summary').textContent = '';
            $('page-label').textContent = '';
            $('older').disabled = true;
            $('newer').disabled = true;
            handleError(error, () => run());
          } finally {
            if (request === state.pageRequest) $('results-section').removeAttribute('aria-busy');
          }
        }

        /// Shows the search in the URL: filters, page and open event.
        function run({ focusResults = false } = {}) {
          state.search = searchFromURL();
          state.cursors = Array.isArray(history.state?.cursors) ? history.state.cursors.filter((c) => typeof c === 'string') : [];
          fillForm(state.search);
          const key = filterKey(state.search);
          const statsDone = state.statsKey === key ? null : loadStats(state.search, key);
          const pageDone = loadPage().then(() => {
            if (focusResults) $('results-heading').focus();
          });
          if (state.search.event) openDetail(state.search.event, null);
          else if ($('detail').open) $('detail').close();
          return Promise.all([statsDone, pageDone]);
        }

        function navigate(search, cursors) {
          history.pushState({ cursors }, '', urlFor(search));
          return run({ focusResults: search.cursor !== '' || cursors.length > 0 });
        }

        // MARK: Chart and top lists

        function localDayKey(date) {
          return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
        }

        function startOfDay(date) {
          return new Date(date.getFullYear(), date.getMonth(), date.getDate());
        }

        async function loadStats(search, key) {
          const request = ++state.statsRequest;
          state.statsKey = key;
          $('chart-caption').textContent = 'Loading…';
          $('overview').setAttribute('aria-busy', 'true');
          try {
            await summarise(search, request);
          } finally {
            if (request === state.statsRequest) $('overview').removeAttribute('aria-busy');
          }
        }

        async function summarise(search, request) {
          const events = [];
          let cursor = null;
          try {
            for (let page = 0; page < STATS_PAGES; page += 1) {
              const params = apiFilters(search);
              params.set('limit', String(STATS_PAGE_SIZE));
              if (cursor) params.set('cursor', cursor);
              const result = await api(`/v1/events?${params}`);
              if (request !== state.statsRequest) return;
              events.push(...(result.events || []));
              cursor = result.next_cursor || null;
              if (!cursor) break;
            }
          } catch (error) {
            if (request !== state.statsRequest) return;
            state.statsKey = null;
            $('chart-caption').textContent = '';
            // The results table reports the same failure; the summary only notes that it is missing.
            if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
            $('chart').replaceChildren(el('p', { class: 'muted' }, 'The summary could not be loaded.'));
            return;
          }
          renderChart(events, timeBounds(search), cursor !== null);
          renderTops(events);
        }

        function renderChart(events, bounds, truncated) {
          const chart = $('chart');
          if (events.length === 0) {
            chart.replaceChildren(el('p', { class: 'muted' }, 'Nothing to chart for this search.'));
            $('chart-caption').textContent = '';
            return;
          }
          const times = events.map((event) => parseTime(event.occurred_at)).filter(Boolean);
          if (times.length === 0) return;
          const newest = new Date(Math.max(...times.map((t) => t.getTime())));
          const oldest = new Date(Math.min(...times.map((t) => t.getTime())));
          // The whole range when every event of it was read; otherwise only the days the events cover.
          let first = startOfDay(bounds.from && !truncated ? bounds.from : oldest);
          const last = startOfDay(bounds.to ? new Date(bounds.to.getTime() - 1) : new Date(Math.max(Date.now(), newest.getTime())));
          const days = [];
          for (let day = new Date(last); day >= first && days.length < MAX_CHART_DAYS; day.setDate(day.getDate() - 1)) {
            days.unshift(new Date(day));
          }
          first = days[0];
          const counts = new Map(days.map((day) => [localDayKey(day), 0]));
          let charted = 0;
          for (const time of times) {
            const key = localDayKey(time);
            if (counts.has(key)) {
              counts.set(key, counts.get(key) + 1);
              charted += 1;
            }
          }
          const max = Math.max(1, ...counts.values());
          const busiest = days.reduce((best, day) => (counts.get(localDayKey(day)) > counts.get(localDayKey(best)) ? day : best), days[0]);

          const height = 140;
          const top = 16;
          const slot = 100 / days.length;
          const bars = days.map((day, index) => {
            const count = counts.get(localDayKey(day));
            const barHeight = count === 0 ? 0 : Math.max(2, Math.round((count / max) * (height - top)));
            return svg('rect', {
              class: 'bar', x: `${(index * slot + slot * 0.12).toFixed(3)}%`, width: `${(slot * 0.76).toFixed(3)}%`,
              y: height - barHeight, height: barHeight,
            }, svg('title', {}, `${longDayFormat.format(day)}: ${plural(count, 'event')}`));
          });
          const label = `Events per day from ${longDayFormat.format(first)} to ${longDayFormat.format(days[days.length - 1])}: `
            + `${plural(charted, 'event')}, the busiest day ${longDayFormat.format(busiest)} with ${plural(counts.get(localDayKey(busiest)), 'event')}.`;
          const graphic = svg('svg', { class: 'chart-svg', width: '100%', height: height + 20, role: 'img', 'aria-label': label },
            svg('line', { class: 'axis', x1: '0', x2: '100%', y1: height + 0.5, y2: height + 0.5 }),
            svg('text', { class: 'chart-label', x: '0', y: 11 }, `max ${max.toLocaleString()}`),
            ...bars,
            svg('text', { class: 'chart-label', x: '0', y: height + 16 }, dayFormat.format(first)),
            svg('text', { class: 'chart-label', x: '100%', y: height + 16, 'text-anchor': 'end' }, dayFormat.format(days[days.length - 1])));
          chart.replaceChildren(graphic);
          $('chart-caption').textContent = truncated
            ? `From the newest ${plural(events.length, 'event')} of this search.`
            : `${plural(charted, 'event')} over ${plural(days.length, 'day')}.`;
        }

        function topCounts(events, keyOf) {
          const counts = new Map();
          for (const event of events) {
            const entry = keyOf(event);
            if (!entry) continue;
            const current = counts.get(entry.key) || { ...entry, count: 0 };
            current.count += 1;
            counts.set(entry.key, current);
          }
          return [...counts.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)).slice(0, 5);
        }

        function renderTop(listId, entries, filter, what) {
          const list = $(listId);
          if (entries.length === 0) {
            list.replaceChildren(el('li', { class: 'muted' }, 'None'));
            return;
          }
          const max = entries[0].count;
          list.replaceChildren(...entries.map((entry) => {
            const button = el('button', {
              type: 'button', class: 'link-button', title: `Show only ${what} ${entry.label}`,
            }, entry.label);
            button.addEventListener('click', () => {
              const search = { ...state.search, cursor: '', event: '', [filter]: entry.key };
              navigate(search, []);
            });
            const bar = el('span', { class: 'meter-fill' });
            bar.style.width = `${Math.round((entry.count / max) * 100)}%`;
            return el('li', {}, el('span', { class: 'top-line' }, button, el('span', { class: 'count' }, entry.count.toLocaleString())),
              el('span', { class: 'meter', 'aria-hidden': 'true' }, bar));
          }));
        }

        function renderTops(events) {
          renderTop('top-names', topCounts(events, (e) => (e.name ? { key: e.name, label: e.name } : null)), 'name', 'activity');
          renderTop('top-actors', topCounts(events, (e) => (e.actor && e.actor.id ? { key: e.actor.id, label: actorLabel(e.actor) } : null)), 'actor', 'team member');
          renderTop('top-countries', topCounts(events, (e) => {
            const geo = e.geo || {};
            return geo.country_code ? { key: geo.country_code, label: geo.country ? `${geo.country} (${geo.country_code})` : geo.country_code } : null;
          }), 'country', 'country');
        }

        // MARK: Event detail and its inclusion proof

        function hexBytes(hex) {
          if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('not a hex string');
          const bytes = new Uint8Array(hex.length / 2);
          for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
          return bytes;
        }

        async function sha256(...parts) {
          const data = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
          let offset = 0;
          for (const part of parts) {
            data.set(part, offset);
            offset += part.length;
          }
          return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
        }

        function sameBytes(a, b) {
          return a.length === b.length && a.every((byte, i) => byte === b[i]);
        }

        /// RFC 9162, section 2.1.3.2: verifies that `leafHash` is leaf `leafIndex` of the tree of
        /// `treeSize` leaves whose root is `root`, using the audit path `proof`.
        export async function verifyInclusion(leafHash, leafIndex, treeSize, proof, root) {
          if (!(leafIndex < treeSize)) return false;
          const node = new Uint8Array([1]);
          let fn = BigInt(leafIndex);
          let sn = BigInt(treeSize) - 1n;
          let r = leafHash;
          for (const p of proof) {
            if (sn === 0n) return false;
            if ((fn & 1n) === 1n || fn === sn) {
              r = await sha256(node, p, r);
              if ((fn & 1n) === 0n) {
                while ((fn & 1n) === 0n && fn !== 0n) {
                  fn >>= 1n;
                  sn >>= 1n;
                }
              }
            } else {
              r = await sha256(node, r, p);
            }
            fn >>= 1n;
            sn >>= 1n;
          }
          return sn === 0n && sameBytes(r, root);
        }

        function setProofState(node, stateName, text) {
          node.setAttribute('data-state', stateName);
          node.textContent = text;
        }

        async function checkInclusion(event, node, request) {
          if (!globalThis.crypto || !crypto.subtle) {
            setProofState(node, 'unavailable', 'Cannot check here: the browser offers SHA-256 (WebCrypto) only on HTTPS or localhost.');
            return;
          }
          setProofState(node, 'pending', 'Checking against the latest checkpoint…');
          try {
            const checkpoint = await api('/v1/checkpoint');
            const treeSize = Number(checkpoint.tree_size);
            if (!(Number(event.seq) <= treeSize)) {
              if (request === state.detailRequest) {
                setProofState(node, 'pending', `Not yet covered: the latest checkpoint has ${plural(treeSize, 'event')}.`);
              }
              return;
            }
            const proof = await api(`/v1/proofs/inclusion?seq=${encodeURIComponent(event.seq)}&tree_size=${treeSize}`);
            // The leaf is the event's own hash and the root the checkpoint's: the proof's copies of
            // them are not trusted.
            const verified = await verifyInclusion(hexBytes(event.hash), Number(event.seq) - 1, treeSize,
              (proof.proof || []).map(hexBytes), hexBytes(checkpoint.root_hash));
            if (request !== state.detailRequest) return;
            const root = String(checkpoint.root_hash).slice(0, 16);
            if (verified) {
              setProofState(node, 'verified', `Verified: this event is leaf ${event.seq} of the ledger’s Merkle tree at the latest checkpoint (${plural(treeSize, 'event')}, root ${root}…).`);
            } else {
              setProofState(node, 'failed', `Does not verify: the inclusion proof does not lead from this event’s hash to the checkpoint’s root (${root}…).`);
            }
          } catch (error) {
            if (request !== state.detailRequest) return;
            if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
              handleError(error);
              return;
            }
            setProofState(node, 'error', `Could not check: ${error.message}`);
          }
        }

        function detailRow(list, term, ...content) {
          list.append(el('dt', {}, term), el('dd', {}, ...content));
        }

        function renderDetail(event, request) {
          $('detail-heading').textContent = event.name || 'Event';
          const list = el('dl', { class: 'detail-list' });
          const actor = event.actor || {};
          const geo = event.geo || {};
          detailRow(list, 'Time', timeElement(event.occurred_at), el('span', { class: 'muted small block' }, parseTime(event.occurred_at) ? utcText(parseTime(event.occurred_at)) : ''));
          detailRow(list, 'Received', timeElement(event.received_at));
          detailRow(list, 'Team member', [actor.name, actor.id].filter(Boolean).join(' · '),
            actor.email ? el('span', { class: 'muted small block' }, actor.email) : null,
            actor.type ? el('span', { class: 'muted small block' }, `Type: ${actor.type}`) : null);
          detailRow(list, 'Outcome', outcomeBadge(event.outcome));
          detailRow(list, 'IP', el('span', { class: 'mono' }, event.ip || '—'));
          const place = [geo.city, geo.subdivision, geo.country].filter(Boolean).join(', ');
          detailRow(list, 'Location', place || locationText(event), geo.time_zone ? el('span', { class: 'muted small block' }, geo.time_zone) : null);
          if (event.description) detailRow(list, 'Description', event.description);
          const targets = Array.isArray(event.targets) ? event.targets : [];
          detailRow(list, 'Targets', targets.length === 0 ? 'None' : el('ul', { class: 'plain' },
            ...targets.map((t) => el('li', {}, el('span', { class: 'mono' }, `${t.type}:${t.id}`), t.name ? ` (${t.name})` : ''))));
          detailRow(list, 'User agent', event.user_agent ? el('span', { class: 'mono' }, event.user_agent) : '—');
          detailRow(list, 'Metadata', event.metadata === undefined ? '—' : el('pre', { class: 'json' }, JSON.stringify(event.metadata, null, 2)));
          if (event.id) detailRow(list, 'Client event id', el('span', { class: 'mono' }, event.id));
          detailRow(list, 'Sequence', `${event.seq} in the ledger · ${event.account_seq} in account ${event.account}`);
          detailRow(list, 'Hash', el('code', { class: 'hash' }, event.hash));
          detailRow(list, 'Previous hash', el('code', { class: 'hash' }, event.previous_hash));
          const proofState = el('p', { class: 'proof', id: 'proof-status', role: 'status' });
          detailRow(list, 'Inclusion proof', proofState);
          $('detail-body').replaceChildren(list);
          checkInclusion(event, proofState, request);
        }

        function setEventInURL(seq) {
          const search = { ...searchFromURL(), event: seq || '' };
          history.replaceState(history.state, '', urlFor(search));
        }

        async function openDetail(seq, opener) {
          const dialog = $('detail');
          const request = ++state.detailRequest;
          state.detailOpener = opener;
          $('detail-heading').textContent = 'Event';
          $('detail-body').replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
          if (!dialog.open) dialog.showModal();
          setEventInURL(seq);
          try {
            const event = await api(`/v1/events/${encodeURIComponent(seq)}`);
            if (request !== state.detailRequest) return;
            renderDetail(event, request);
          } catch (error) {
            if (request !== state.detailRequest) return;
            if (error instanceof ApiError && error.status === 404) {
              $('detail-body').replaceChildren(el('p', { class: 'alert' }, 'No such event in your account.'));
              return;
            }
            if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
              handleError(error);
              return;
            }
            $('detail-body').replaceChildren(el('p', { class: 'alert' },
              error instanceof UnreachableError ? 'The AuditLedger server cannot be reached.' : `Could not load the event: ${error.message}`));
          }
        }

        function onDetailClosed() {
          state.detailRequest += 1;
          if (state.token) setEventInURL('');
          const opener = state.detailOpener;
          state.detailOpener = null;
          if (opener && opener.isConnected) opener.focus();
        }

        // MARK: Export

        /// Saves `blob` as a download named `name`, through a temporary object URL.
        function saveBlob(blob, name) {
          const url = URL.createObjectURL(blob);
          const link = el('a', { href: url, download: name, class: 'visually-hidden' });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 60_000);
        }

        /// `from=2026-01-02T03:04:05.123456Z&to=…` → `20260102T030405.123456Z-…`, or `to-…` when
        /// the range has no start: a file name part without characters file systems refuse.
        function rangeFileName(range) {
          const params = new URLSearchParams(range);
          const compact = (time) => time.replace(/[-:]/g, '').replace(/[^0-9A-Za-z.]/g, '_');
          const from = params.get('from');
          const to = params.get('to') || '';
          return from ? `${compact(from)}-${compact(to)}` : `to-${compact(to)}`;
        }

        /// The verifier key to pin, from the public `GET /v1/key`; null when it cannot be had
        /// (the status line then omits it: the export and manifest are saved all the same).
        async function verifierKey() {
          try {
            const key = await api('/v1/key');
            return key && typeof key.verifier_key === 'string' ? key.verifier_key : null;
          } catch {
            return null;
          }
        }

        /// Saves the export and its manifest: the export response names the range it served in
        /// `AuditLedger-Export-Range`, and the manifest of exactly that range describes exactly
        /// those bytes, so `auditledger verify-export` can check the pair offline.
        async function exportRange(format) {
          const status = $('export-status');
          const { from, to } = timeBounds(state.search);
          const params = new URLSearchParams({ format });
          if (from) params.set('from', isoSeconds(from));
          if (to) params.set('to', isoSeconds(to));
          const label = format === 'csv' ? 'CSV' : 'NDJSON';
          status.textContent = `Preparing the ${label} export…`;
          try {
            const { body: blob, headers } = await api(`/v1/export?${params}`, { as: 'blob', withHeaders: true });
            const range = headers.get('AuditLedger-Export-Range');
            if (!range) throw new ApiError(502, 'missing_range', 'The export response did not name its range (AuditLedger-Export-Range).');
            status.textContent = `Preparing the ${label} export’s manifest…`;
            const manifestParams = new URLSearchParams(range);
            manifestParams.set('format', format);
            const [manifest, key] = await Promise.all([
              api(`/v1/export/manifest?${manifestParams}`, { as: 'blob' }),
              verifierKey(),
            ]);
            const account = (state.account || 'account').replace(/[^a-z0-9_.-]/gi, '_');
            const name = `${account}-${rangeFileName(range)}.${format}`;
            const manifestName = `${name}.manifest.json`;
            saveBlob(blob, name);
            saveBlob(manifest, manifestName);
            status.textContent = `Saved export and manifest: ${name} (${formatBytes(blob.size)}) and ${manifestName}. `
              + `Verify with auditledger verify-export ${name} ${manifestName} --key ${key || 'VERIFIER_KEY (GET /v1/key)'}`;
          } catch (error) {
            status.textContent = '';
            handleError(error, () => exportRange(format));
          }
        }

        // MARK: Start

        function onSignIn(submitEvent) {
          submitEvent.preventDefault();
          const token = $('token').value.trim();
          if (!token) {
            showSignIn('Enter a read token.');
            return;
          }
          $('token').value = '';
          sessionStorage.setItem(TOKEN_KEY, token);
          state.token = token;
          showApp();
          $('f-name').focus();
          run();
        }

        function onSearch(submitEvent) {
          submitEvent.preventDefault();
          const search = readForm();
          if (search.range === 'custom' && search.from && search.to && search.from >= search.to) {
            showBanner('The end of the custom range must be after its start.');
            return;
          }
          hideBanner();
          navigate(search, []);
        }

        function start() {
          $('sign-in-form').addEventListener('submit', onSignIn);
          $('search-form').addEventListener('submit', onSearch);
          $('f-range').addEventListener('change', () => showCustomRange($('f-range').value === 'custom'));
          $('reset-button').addEventListener('click', () => {
            fillForm(defaultSearch());
            navigate(defaultSearch(), []);
          });
          $('sign-out').addEventListener('click', () => signOut('You are signed out.'));
          $('older').addEventListener('click', () => {
            if (!state.nextCursor) return;
            navigate({ ...state.search, event: '', cursor: state.nextCursor }, [...state.cursors, state.search.cursor]);
          });
          $('newer').addEventListener('click', () => {
            const cursors = state.cursors.slice(0, -1);
            const cursor = state.cursors.length > 0 ? state.cursors[state.cursors.length - 1] : '';
            navigate({ ...state.search, event: '', cursor }, cursors);
          });
          $('banner-retry').addEventListener('click', () => {
            const retry = state.retry;
            hideBanner();
            if (retry) retry();
          });
          $('export-csv').addEventListener('click', () => exportRange('csv'));
          $('export-ndjson').addEventListener('click', () => exportRange('ndjson'));
          $('detail-close').addEventListener('click', () => $('detail').close());
          $('detail').addEventListener('close', onDetailClosed);
          window.addEventListener('popstate', () => {
            if (state.token) run();
          });

          state.token = sessionStorage.getItem(TOKEN_KEY);
          if (state.token) {
            showApp();
            run();
          } else {
            clearResults();
            showSignIn('');
          }
        }

        start();
        """#
}
